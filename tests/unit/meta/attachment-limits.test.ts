import { attachmentVerdict } from '../../../src/channels/meta/attachment-limits';

const MB = 1024 * 1024;
const messenger = { channel: 'messenger' as const, label: 'Facebook Messenger' };
const instagram = { channel: 'instagram' as const, label: 'Instagram' };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe("Meta's attachment limits, by the type read from the bytes", () => {
  test.each([
    [messenger, 'application/pdf', 25 * MB, 'file'],
    [instagram, 'application/pdf', 25 * MB, 'file'],
    [messenger, 'image/jpeg', 8 * MB, 'image'],
    [instagram, 'image/png', 8 * MB, 'image'],
    [messenger, 'video/mp4', 25 * MB, 'video'],
    [instagram, 'audio/wav', 25 * MB, 'audio'],
    [messenger, DOCX, 25 * MB, 'file'],
  ])('%o: %s up to its limit goes as %s', (account, mime, limit, type) => {
    expect(attachmentVerdict(account, mime, limit)).toEqual({ send: true, type, maxBytes: limit });
    expect(attachmentVerdict(account, mime, limit + 1)).toEqual({
      send: false,
      reason: `lebih besar dari batas ${limit / MB} MB ${account.label}`,
    });
  });

  test('a type the channel cannot carry, an unknown type and an empty file are not sent', () => {
    expect(attachmentVerdict(instagram, DOCX, 1000)).toEqual({
      send: false,
      reason: 'jenis berkas ini tidak dapat dikirim lewat Instagram',
    });
    expect(attachmentVerdict(messenger, undefined, 1000)).toMatchObject({ send: false });
    expect(attachmentVerdict(messenger, 'application/x-msdownload', 1000)).toMatchObject({ send: false });
    expect(attachmentVerdict(messenger, 'image/webp', 1000)).toMatchObject({ send: false });
    expect(attachmentVerdict(messenger, 'application/pdf', 0)).toEqual({ send: false, reason: 'berkas kosong' });
  });
});
