import { cleanName, nameAttachment } from '../../../src/domain/attachment-name';
import { detectFileKind } from '../../../src/domain/file-signature';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe('file types from the bytes', () => {
  test.each([
    ['PDF', PDF, 'application/pdf'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['PNG', PNG, 'image/png'],
    ['GIF', Buffer.from('GIF89a\x01\x00'), 'image/gif'],
    ['WebP', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'],
    ['HEIC', Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00'), 'image/heic'],
    ['MP4', Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00'), 'video/mp4'],
    ['3GP', Buffer.from('\x00\x00\x00\x18ftyp3gp4\x00\x00\x02\x00'), 'video/3gpp'],
    ['OGG Opus', Buffer.from(`OggS${'\x00'.repeat(24)}OpusHead`), 'audio/ogg'],
    ['AMR', Buffer.from('#!AMR\n\x3c'), 'audio/amr'],
    [
      'DOCX',
      Buffer.from('PK\x03\x04\x14\x00\x06\x00[Content_Types].xml word/document.xml'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['ZIP', Buffer.from('PK\x03\x04\x14\x00foto.jpg'), 'application/zip'],
    ['OLE (doc/xls)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'application/x-ole-storage'],
    ['Windows executable', EXE, 'application/x-msdownload'],
    ['HTML', Buffer.from('\ufeff  <!DOCTYPE html><html>'), 'text/html'],
    ['PHP', Buffer.from('<?php system($_GET["c"]);'), 'application/x-httpd-php'],
  ])('%s', (_name, bytes, mime) => expect(detectFileKind(bytes)?.mime).toBe(mime));

  it('says nothing about bytes it does not know', () =>
    expect(detectFileKind(Buffer.from('teks biasa'))).toBeUndefined());
});

describe('attachment names and types', () => {
  it('takes the type from the bytes, not from the sender', () => {
    expect(nameAttachment('ktp.jpg', 'application/octet-stream', JPEG, 1)).toEqual({
      filename: 'ktp.jpg',
      contentType: 'image/jpeg',
    });
    const wrong = nameAttachment('surat.pdf', 'image/jpeg', PDF, 1);
    expect(wrong).toMatchObject({
      filename: 'surat.pdf',
      contentType: 'application/pdf',
      warning: expect.stringContaining('bukan image/jpeg'),
    });
    expect(
      nameAttachment(
        'data.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        Buffer.from('PK\x03\x04xl/workbook.xml'),
        1,
      ).contentType,
    ).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  test.each(['foto KTP.jpg.php', 'scan KK.pdf.exe', 'akta.docx.js', 'surat.pdf.bat', 'foto.png.scr', 'bukti.jpg.html'])(
    '%s is renamed and marked',
    (name) => {
      const named = nameAttachment(name, 'image/jpeg', JPEG, 1);
      expect(named.filename).toMatch(/\.bin$/);
      expect(named.filename).not.toMatch(/\.(php|exe|js|bat|scr|html)$/i);
      expect(named.contentType).toBe('application/octet-stream');
      expect(named.warning).toContain('ekstensi ganda');
      expect(named.warning).toContain(name);
    },
  );

  it('renames a program whatever its name says', () => {
    const named = nameAttachment('foto.jpg', 'image/jpeg', EXE, 1);
    expect(named).toMatchObject({
      filename: 'foto_jpg.bin',
      contentType: 'application/octet-stream',
      warning: expect.stringContaining('program'),
    });
  });

  it('leaves a lone page to the outbound side (forwarded as text)', () => {
    expect(nameAttachment('surat.html', 'text/html', Buffer.from('<html>'), 1)).toMatchObject({
      filename: 'surat.html',
      contentType: 'text/html',
    });
  });

  it('removes paths, Windows-illegal characters, trailing dots and spaces and RTL tricks', () => {
    expect(cleanName('..\\..\\windows\\system32\\a\u0000b.txt')).toBe('ab.txt');
    expect(cleanName('C:\\Users\\x\\foto: "KTP" <1>?*|.jpg')).toBe('foto KTP 1.jpg');
    expect(cleanName('faktur.pdf. . .  ')).toBe('faktur.pdf');
    expect(cleanName('bukti\u202efdp.exe')).toBe('buktifdp.exe');
    expect(cleanName('\u200bfoto\u200f.jpg')).toBe('foto.jpg');
    expect(cleanName('CON.pdf')).toBe('_CON.pdf');
    expect(nameAttachment('\u2067\u202e', 'application/pdf', PDF, 2).filename).toBe('lampiran-2.pdf');
  });
});
