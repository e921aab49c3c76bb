import { neutralizeAttachment } from '../../../src/outbound/forwarded-attachments';

describe('attachments forwarded to staff', () => {
  test.each([
    ['formulir.html', 'text/html'],
    ['bukti.svg', 'image/svg+xml'],
    ['surat.xhtml', 'application/xhtml+xml'],
    ['lampiran.bin', 'text/html; charset=utf-8'],
    ['skrip.js', 'application/octet-stream'],
    ['halaman.HTM', 'application/octet-stream'],
  ])('%s (%s) goes as plain text with .txt appended', (filename, contentType) => {
    expect(neutralizeAttachment({ filename, contentType, path: '/x' })).toEqual({
      filename: `${filename}.txt`,
      contentType: 'text/plain',
      path: '/x',
    });
  });

  test.each([
    ['akta.pdf', 'application/pdf'],
    ['foto.jpg', 'image/jpeg'],
    ['bukti.zip', 'application/zip'],
    ['pesan.eml', 'message/rfc822'],
  ])('%s (%s) is forwarded as it is', (filename, contentType) => {
    const attachment = { filename, contentType, path: '/x' };
    expect(neutralizeAttachment(attachment)).toBe(attachment);
  });
});
