import { detectFileKind } from '../domain/file-signature';

/**
 * The media type of a file staff attach to an answer, from its first bytes (the project's one
 * signature table, `domain/file-signature.ts`). The name's extension is only a hint: a `kk.pdf` that is
 * really HTML or a program must not reach the citizen labelled as a PDF. Only the types staff send as
 * answers get their own label; anything else goes out as bytes.
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const FALLBACK = 'application/octet-stream';
const ANSWER_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/webp', DOCX]);

/** The type the bytes show; the extension only tells a .docx from another ZIP and plain text from binary. */
export function sniffContentType(content: Uint8Array, extension: string): string {
  const ext = extension.toLowerCase();
  const kind = detectFileKind(content);
  if (kind?.mime === 'application/zip') return ext === '.docx' ? DOCX : FALLBACK;
  // Old Word files are OLE compound documents.
  if (kind?.mime === 'application/x-ole-storage') return 'application/msword';
  if (kind && ANSWER_TYPES.has(kind.mime)) return kind.mime;
  if (!kind && ext === '.txt' && isPlainText(content)) return 'text/plain';
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
