import { cleanName, nameAttachment } from '../../../src/domain/attachment-name';

// Email attachments are named by the domain's one naming rule (nameAttachment / cleanName).
describe('attachment file names', () => {
  test('a right-to-left override cannot disguise an .exe as a .pdf', () => {
    expect(cleanName('bukti\u202efdp.exe')).toBe('buktifdp.exe');
    expect(nameAttachment('\u2067\u202e', 'application/pdf', new Uint8Array(), 2).filename).toBe('lampiran-2.pdf');
  });

  test('paths, control characters and leading dots are removed', () => {
    expect(cleanName('..\\..\\windows\\system32\\a\u0000b.txt')).toBe('ab.txt');
    expect(cleanName('/etc/.passwd')).toBe('passwd');
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
