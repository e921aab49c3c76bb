/**
 * The media type of a file from its first bytes (magic numbers), for the few types staff attach to an
 * answer. The name's extension is only a hint: a `kk.pdf` that is really HTML or a program must not
 * reach the citizen labelled as a PDF. Hand-written because eight signatures do not need a dependency.
 */

const SIGNATURES: Array<{ type: string; bytes: number[]; at?: number }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] }, // GIF87a
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] }, // GIF89a
  { type: 'image/webp', bytes: [0x57, 0x45, 0x42, 0x50], at: 8 }, // RIFF....WEBP
  // Old Word files are OLE compound documents; .docx files are ZIP archives.
  { type: 'application/msword', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
];

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const FALLBACK = 'application/octet-stream';

/** The type the bytes show; the extension only tells a .docx from another ZIP and plain text from binary. */
export function sniffContentType(content: Uint8Array, extension: string): string {
  const ext = extension.toLowerCase();
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => content[at + i] === b);
  const riff = starts([0x52, 0x49, 0x46, 0x46]); // RIFF, the container of WebP
  const found = SIGNATURES.find((s) => starts(s.bytes, s.at) && (s.at === undefined || riff));
  if (found?.type === 'application/zip') return ext === '.docx' ? DOCX : FALLBACK;
  if (found) return found.type;
  if (ext === '.txt' && isPlainText(content)) return 'text/plain';
  return FALLBACK;
}

/** UTF-8 without NUL or other control characters than tab and line ends. */
function isPlainText(content: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}
