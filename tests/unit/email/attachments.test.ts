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
