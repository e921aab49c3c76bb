import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTicketAnswer } from '../../../src/cli/commands/ticket-answer';
import { loadConfig } from '../../../src/config/load';
import { sniffContentType } from '../../../src/lib/content-type-sniff';
import { writeConfigDir } from '../../support/config-dir';

/** Review #14 L6: `ticket answer` stores attachments without a predictable temp name; types from the bytes. */
const sink = { write: () => true } as unknown as NodeJS.WritableStream;
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'aduan-answer-files-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('a link planted at the old temp name (<sha>.<pid>.tmp) is not written through', async () => {
  const dataDir = path.join(root, 'data');
  const config = loadConfig(writeConfigDir(root, { service: { dataDir } }), {});
  const content = Buffer.from('%PDF-1.4 akta\n%%EOF\n');
  const sha = createHash('sha256').update(content).digest('hex');
  const folder = path.join(dataDir, 'attachments', 'answers', sha.slice(0, 2));
  mkdirSync(folder, { recursive: true });
  const victim = path.join(root, 'victim.txt');
  writeFileSync(victim, 'tidak boleh berubah');
  symlinkSync(victim, path.join(folder, `${sha}.${process.pid}.tmp`));
  const file = path.join(root, 'akta.pdf');
  writeFileSync(file, content);

  // The ticket does not exist; the attachment is stored before that is known.
  await runTicketAnswer(config, 'ADU-2026-999999', { text: 'x', attach: [file], operator: 't' }, sink, sink);
  expect(readFileSync(victim, 'utf8')).toBe('tidak boleh berubah');
  expect(readFileSync(path.join(folder, sha))).toEqual(content);
});

describe('attachment type from the bytes, not the name', () => {
  it.each([
    ['%PDF-1.7\n', '.pdf', 'application/pdf'],
    ['<html><script>alert(1)</script>', '.pdf', 'application/octet-stream'],
    ['\x7fELF\x02\x01', '.jpg', 'application/octet-stream'],
    ['\x89PNG\r\n\x1a\n....', '.jpg', 'image/png'],
    ['\xff\xd8\xff\xe0', '.jpeg', 'image/jpeg'],
    ['GIF89a..', '.gif', 'image/gif'],
    ['RIFF\x00\x00\x00\x00WEBPVP8 ', '.webp', 'image/webp'],
    ['PK\x03\x04....', '.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['PK\x03\x04....', '.pdf', 'application/octet-stream'],
    ['Surat keterangan terlampir.\n', '.txt', 'text/plain'],
    ['Surat\x00biner', '.txt', 'application/octet-stream'],
  ])('%j named *%s → %s', (bytes, ext, type) => {
    expect(sniffContentType(Buffer.from(bytes, 'latin1'), ext)).toBe(type);
  });
});
