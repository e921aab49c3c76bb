/**
 * Text files from Windows offices come in two encodings: UTF-8 (Excel's "CSV UTF-8", often with a
 * BOM; everything modern) and Windows-1252 (Excel's plain "CSV", Notepad's "ANSI" on an Indonesian
 * or English Windows). Bytes that are not valid UTF-8 are Windows-1252: valid UTF-8 is practically
 * never produced by accident from cp1252 text (it would need sequences like "Ã©"), so the check
 * is safe both ways. Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F: a 32-entry table.
 */

export type TextEncodingSetting = 'auto' | 'utf8' | 'windows-1252';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Whether the bytes are UTF-8; an incomplete sequence at the very end (a cut chunk) does not count against it. */
export function isUtf8(bytes: Uint8Array, options: { cutAtEnd?: boolean } = {}): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: options.cutAtEnd === true });
    return true;
  } catch {
    return false;
  }
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** The encoding to read these bytes with: a BOM or valid UTF-8 says UTF-8, anything else Windows-1252. */
export function detectEncoding(
  bytes: Uint8Array,
  setting: TextEncodingSetting,
  options: { cutAtEnd?: boolean } = {},
): 'utf8' | 'windows-1252' {
  if (setting !== 'auto') return setting;
  return hasUtf8Bom(bytes) || isUtf8(bytes, options) ? 'utf8' : 'windows-1252';
}

/**
 * 0x80–0x9F of Windows-1252 (WHATWG index; undefined bytes map to the C1 control of the same
 * number). Written out because Node before 23 decodes TextDecoder('windows-1252') as ISO-8859-1,
 * which turns Excel's quotes, dashes and € into invisible control characters; 0x00–0x7F and
 * 0xA0–0xFF are the same code points in both.
 */
const HIGH_CONTROLS =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** The bytes as text, in the encoding `detectEncoding` picks (a BOM is kept: callers strip it where it may be). */
export function decodeText(bytes: Uint8Array, setting: TextEncodingSetting): string {
  if (detectEncoding(bytes, setting) === 'windows-1252') return decodeWindows1252(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => HIGH_CONTROLS[c.charCodeAt(0) - 0x80]!);
}

/**
 * Windows-1252 bytes re-encoded as UTF-8, with the source offset of every UTF-8 offset that starts
 * a character: every cp1252 byte is exactly one character, so a parser can work on the UTF-8 copy
 * and its byte offsets (record ends, checkpoints) can be mapped back to the file.
 */
export function windows1252AsUtf8(bytes: Uint8Array): { utf8: Buffer; sourceOffset: (utf8Offset: number) => number } {
  const text = decodeWindows1252(bytes);
  const utf8 = Buffer.from(text, 'utf8');
  const toSource = new Uint32Array(utf8.length + 1);
  let offset = 0;
  for (let i = 0; i < text.length; i += 1) {
    toSource[offset] = i;
    const code = text.charCodeAt(i);
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
  }
  toSource[offset] = text.length;
  return { utf8, sourceOffset: (utf8Offset) => toSource[utf8Offset]! };
}
