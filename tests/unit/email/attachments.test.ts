import { safeFilename } from '../../../src/channels/email/attachments';

describe('attachment file names', () => {
  test('a right-to-left override cannot disguise an .exe as a .pdf', () => {
    expect(safeFilename('bukti\u202efdp.exe', 'application/octet-stream', 1)).toBe('buktifdp.exe');
    expect(safeFilename('\u2067\u202e', 'application/pdf', 2)).toBe('lampiran-2.pdf');
  });

  test('paths, control characters and leading dots are removed', () => {
    expect(safeFilename('..\\..\\windows\\system32\\a\u0000b.txt', 'text/plain', 1)).toBe('ab.txt');
    expect(safeFilename('/etc/.passwd', 'text/plain', 1)).toBe('passwd');
  });
});

describe('HTML mail converted to text for staff', () => {
  test('script and data link targets are removed; ordinary links stay', async () => {
    const { parseEmail } = await import('../../../src/channels/email/parse');
    const html =
      '<p>Bukti:</p><a href="javascript:alert(1)">klik</a> <a href=" JavaScript :fetch(1)">dua</a> <a href="data:text/html;base64,PHNjcmlwdD4=">tiga</a> <a href="https://dukcapil.dairikab.go.id/">situs</a><script>alert(2)</script>';
    const mail = await parseEmail(
      Buffer.from(`From: a@example.net\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`),
    );
    expect(mail.text).not.toMatch(/javascript|data:|alert/i);
    expect(mail.text).toContain('[tautan skrip dihapus]');
    expect(mail.text).toContain('https://dukcapil.dairikab.go.id/');
  });
});
