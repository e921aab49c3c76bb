import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import { messagesPayload } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { acknowledged, citizenText } from './staff-answer';
import { staffAnswer } from '../../support/staff-mail';
import { LINE_1, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const RINA = '6281298765432';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
const PDF = Buffer.from('%PDF-1.4 surat keterangan pindah\n%%EOF\n');
const ZIP = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 1)]);
// One byte over WhatsApp's 5 MB for images.
const BIG_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(5 * 1024 * 1024 - 7),
]);

/** The staff answer's files, stored where the service keeps attachments (the only folder files are read from). */
function storedFiles(h: WhatsAppHarness): NonNullable<ComplaintInputDraft['attachments']> {
  const folder = path.resolve(h.env.config.service.dataDir, 'attachments', 'email', 'wa');
  mkdirSync(folder, { recursive: true });
  const files: Array<[string, string, Buffer]> = [
    ['foto-ktp.jpg', 'image/jpeg', JPEG],
    ['surat-pindah.pdf', 'application/pdf', PDF],
    ['arsip.zip', 'application/zip', ZIP],
    ['pindaian-besar.png', 'image/png', BIG_PNG],
  ];
  return files.map(([filename, contentType, bytes]) => {
    const storedAt = path.join(folder, filename);
    writeFileSync(storedAt, bytes);
    return { filename, contentType, size: bytes.length, storedAt };
  });
}

describe('files in staff answers on WhatsApp', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('uploads each file WhatsApp carries and sends it by media id; names the rest; a retry sends only what is missing', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(RINA);
    await h.post(messagesPayload([[citizenText(LINE_1, RINA, 'Mohon dikirim contoh surat keterangan pindah.')]]));
    const ticket = await acknowledged(h);
    const before = h.fake.sent.length;
    // The image uploads; the PDF's upload fails once (131053, a media upload error Meta asks to retry).
    h.fake.failNextUpload('pass', { code: 131053, message: 'Media upload error' });
    await h.service.sink.submit(staffAnswer(h, ticket, 'Berikut contoh surat dan foto persyaratan.', storedFiles(h)), {
      channel: 'email',
    });
    const done = await waitFor(
      async () => {
        const t = await h!.service.store.getTicket(ticket.id);
        return t?.status === 'resolved' ? t : undefined;
      },
      20_000,
      'the relayed answer',
    );
    const answer = h.fake.sent.slice(before);
    expect(answer.map((m) => m.type)).toEqual(['text', 'image', 'document']);
    expect(answer[0]!.text).toContain('Berikut contoh surat dan foto persyaratan.');
    expect(answer[0]!.text).toContain('Lampiran berikut tidak dapat dikirim lewat WhatsApp');
    expect(answer[0]!.text).toContain('arsip.zip (jenis berkas ini tidak dapat dikirim lewat WhatsApp)');
    expect(answer[0]!.text).toContain('pindaian-besar.png (lebih besar dari batas 5 MB WhatsApp)');
    expect(answer[1]!.media).toMatchObject({ mime: 'image/jpeg', bytes: JPEG.length });
    expect(answer[2]!.media).toMatchObject({
      mime: 'application/pdf',
      bytes: PDF.length,
      filename: 'surat-pindah.pdf',
    });
    // The failed upload was tried again: three uploads for two files.
    expect(h.fake.calls.filter((c) => c.path.endsWith('/media') && c.method === 'POST').map((c) => c.status)).toEqual([
      200, 400, 200,
    ]);
    const relayed = done.history.find((e) => e.event === 'resolved')!.note!;
    expect(relayed).toContain('lampiran tidak dapat dikirim lewat WhatsApp dan disebutkan dalam pesan: arsip.zip');
  });
});
