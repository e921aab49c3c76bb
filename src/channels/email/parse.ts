import { simpleParser } from 'mailparser';
import { newForwardBudget, unpackForwarded, type ForwardBudget, type UnpackedMail } from './forwarded-messages';
import { htmlAsText } from './html-text';
import { declareUndeclaredCharsets } from './undeclared-charset';

/** mailparser's result, plus the attached messages unpacked from it (forwarded-messages.ts). */
export type ParsedMail = UnpackedMail;

const OPTIONS = {
  checksumAlgo: 'sha256',
  // Keep bounce reports as parts: the machine-readable status is read from them, not shown as text.
  keepDeliveryStatus: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  // HTML → text is ours (./html-text): mailparser's lays tables out in more than linear time.
  skipHtmlToText: true,
} as const;

/**
 * Raw RFC 5322 bytes → mailparser's structure: charsets (undeclared 8-bit text: UTF-8, else
 * Windows-1252), transfer encodings and encoded-word headers decoded, HTML-only mail converted to text
 * (tables by row and cell), attached messages unpacked. Deterministic; the only step before `normalizeEmail`.
 */
export async function parseEmail(
  raw: Buffer,
  depth = 0,
  budget: ForwardBudget = newForwardBudget(),
): Promise<ParsedMail> {
  const mail: ParsedMail = await simpleParser(await declareUndeclaredCharsets(raw), OPTIONS);
  if (!mail.text?.trim() && typeof mail.html === 'string' && mail.html.trim()) {
    // HTML-only mail, or an HTML part next to attachments: the complaint is in the HTML.
    const converted = htmlAsText(mail.html);
    if (converted.ok) mail.text = converted.text;
    else mail.textConversionError = new Error(converted.reason);
  }
  if (mail.text) mail.text = removeScriptLinks(mail.text);
  // Attached messages (a forward as attachment) are read the same way, one level deeper.
  await unpackForwarded(mail, depth, budget, (inner, level) => parseEmail(inner, level, budget));
  return mail;
}

/**
 * HTML → text writes a link's target in brackets after its text: `Klik di sini [javascript:alert(1)]`.
 * A script or data URL there would reach staff as a link some mail programs make clickable.
 */
const SCRIPT_LINK_START = /\[[ \t]*(?:javascript|vbscript|livescript|data)[ \t]*:/gi;

/**
 * `[javascript:…]` up to the next `]` → a note. Found with indexOf rather than `[^\]]*\]` in the
 * pattern: a text of many "[javascript:" without a closing bracket made that quadratic.
 */
export function removeScriptLinks(text: string): string {
  const out: string[] = [];
  let copied = 0;
  let close = -1;
  for (const match of text.matchAll(SCRIPT_LINK_START)) {
    const start = match.index;
    if (start < copied) continue;
    if (close < start + match[0].length) close = text.indexOf(']', start + match[0].length);
    if (close < 0) break;
    out.push(text.slice(copied, start), '[tautan skrip dihapus]');
    copied = close + 1;
  }
  return copied === 0 ? text : out.join('') + text.slice(copied);
}
