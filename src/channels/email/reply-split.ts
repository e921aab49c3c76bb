/**
 * Separates what the citizen wrote now from the quoted earlier mail and the signature, for the
 * patterns Indonesian users' mail programs produce (Gmail, Outlook, Yahoo, phones, in Indonesian
 * and English). When unsure it keeps text in `text`: losing part of a complaint is worse than
 * showing a quote.
 */

export interface SplitReply {
  text: string;
  quotedText?: string;
  signature?: string;
}

/** Lines that open a quoted earlier message: everything from there on is the quote. */
const QUOTE_OPENERS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Mon, 30 Nov 2026 at 09.12 X <x@y> wrote:" / "Pada Sen, … menulis:"
  /^(on|pada)\s.{4,300}\s(wrote|menulis|mengirim|schrieb)\s*:\s*$/i,
  // Outlook and others: "-----Original Message-----", "----- Pesan Asli -----", forwarded blocks
  /^-{2,}\s*(original message|pesan asli|pesan asal|forwarded message|pesan yang diteruskan|pesan terusan|forwarded by)\b.*-*\s*$/i,
  /^_{10,}\s*$/,
];

/** Outlook's header block: "From: …" followed closely by "Sent: …"/"Date: …". */
const OUTLOOK_FROM = /^\*?(from|dari)\s*:\*?\s+\S/i;
const OUTLOOK_NEXT = /^\*?(sent|dikirim|date|tanggal|to|kepada|subject|perihal|subjek)\s*:/i;

/** Phone and webmail footers that are a signature, not content. */
const MOBILE_FOOTER =
  /^(dikirim dari|sent from|get outlook for|dapatkan outlook untuk|diketik dari|sent via|sent with)\b.{0,80}$/i;
/** Closing words that usually start a signature block at the end of an Indonesian letter. */
const CLOSING =
  /^(hormat\s+(saya|kami)|salam(\s+hormat)?|wassalam\w*|regards|best regards|kind regards|warm regards|tabik)\s*[,.]?\s*$/i;
const SIGNATURE_DELIMITER = /^-- ?$/;
const MAX_SIGNATURE_LINES = 8;
/**
 * Reply headers, footers and closing words are short lines. Longer lines are never tested against
 * those patterns: their bounded repetitions would otherwise cost up to 200 × 200 steps a line (a mail
 * of 400-digit lines), and `\s*[,.]?\s*$` is quadratic on a long run of spaces.
 */
const MAX_OPENER_LINE = 600;
const MAX_FOOTER_LINE = 120;
const short = (line: string, max: number) => line.length <= max;

export function splitReply(body: string): SplitReply {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const quoteAt = findQuoteStart(lines);
  const head = lines.slice(0, quoteAt);
  const quoted = trimBlock(lines.slice(quoteAt).join('\n'));

  const { text, signature } = splitSignature(head);
  // Nothing new above the quote (a bare forward): the "quote" is what the citizen sends us.
  if (!text.trim()) return only(trimBlock(body));
  return {
    text,
    ...(quoted ? { quotedText: quoted } : {}),
    ...(signature ? { signature } : {}),
  };
}

function only(text: string): SplitReply {
  return { text };
}

function findQuoteStart(lines: string[]): number {
  let lastUnquoted = lines.length - 1;
  while (lastUnquoted >= 0 && (!lines[lastUnquoted]!.trim() || lines[lastUnquoted]!.trim().startsWith('>')))
    lastUnquoted--;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    if (line.startsWith('>') && i > lastUnquoted) return i;
    if (!short(line, MAX_OPENER_LINE)) continue;
    if (QUOTE_OPENERS.some((re) => re.test(line)) || isShortReplyHeader(line)) return i;
    // The "On … wrote:" line is often wrapped over two lines by the sender's mail program.
    const next = (lines[i + 1] ?? '').trim();
    if (/^(on|pada)\s/i.test(line) && short(next, MAX_OPENER_LINE) && QUOTE_OPENERS[0]!.test(`${line} ${next}`.trim()))
      return i;
    if (
      OUTLOOK_FROM.test(line) &&
      lines.slice(i + 1, i + 4).some((l) => short(l, MAX_OPENER_LINE) && OUTLOOK_NEXT.test(l.trim()))
    )
      return i;
  }
  return lines.length;
}

function splitSignature(head: string[]): { text: string; signature?: string } {
  let end = head.length;
  while (end > 0 && !(head[end - 1] ?? '').trim()) end--;
  const lines = head.slice(0, end);

  const delimiter = lines.findIndex((l) => SIGNATURE_DELIMITER.test(l));
  if (delimiter >= 0) return result(lines.slice(0, delimiter), lines.slice(delimiter + 1));

  // Phone/webmail footers at the very end.
  let cut = lines.length;
  while (cut > 0 && (isFooter((lines[cut - 1] ?? '').trim()) || !(lines[cut - 1] ?? '').trim())) cut--;
  const footer = lines.slice(cut);

  // "Hormat saya,\nNama\n0812…" at the end of what is left.
  const from = Math.max(0, cut - MAX_SIGNATURE_LINES);
  for (let i = from; i < cut; i++) {
    const line = (lines[i] ?? '').trim();
    if (short(line, MAX_FOOTER_LINE) && CLOSING.test(line))
      return result(lines.slice(0, i), [...lines.slice(i, cut), ...footer]);
  }
  return result(lines.slice(0, cut), footer);
}

function result(text: string[], signature: string[]): { text: string; signature?: string } {
  const sig = trimBlock(signature.join('\n'));
  return { text: trimBlock(text.join('\n')), ...(sig ? { signature: sig } : {}) };
}

/**
 * "X <x@y> menulis:" without the date part (phones): an address or a number, then at most 200
 * characters, then "wrote:"/"menulis:". Checked by hand: as `/^.{0,200}(@|\d).{0,200}\b(wrote|menulis)…/`
 * it cost 40,000 steps on every 400-digit line (1 s for a few MB of them).
 */
const REPLY_HEADER_END = /(?:^|[^\p{L}\p{N}_])(wrote|menulis)\s*:$/iu;

function isShortReplyHeader(line: string): boolean {
  if (!line.endsWith(':')) return false;
  const from = Math.max(0, line.length - 41);
  const match = REPLY_HEADER_END.exec(line.slice(from));
  if (!match) return false;
  const word = from + match.index + match[0].length - match[0].replace(/^[^a-z]*/i, '').length;
  for (let p = Math.min(200, word - 1); p >= 0 && word - p - 1 <= 200; p--) {
    const c = line.charCodeAt(p);
    if (c === 0x40 || (c >= 0x30 && c <= 0x39)) return true;
  }
  return false;
}

function isFooter(line: string): boolean {
  return short(line, MAX_FOOTER_LINE) && MOBILE_FOOTER.test(line);
}

/**
 * Drops leading/trailing blank lines and trailing spaces; keeps inner paragraph breaks (at most one
 * blank line). Hand-written rather than `/[ \t\u00a0]+$/` per line: a regular expression tries that at
 * every space of a long run, which is quadratic (200 KB of spaces and one letter took 48 s).
 */
export function trimBlock(text: string): string {
  const out: string[] = [];
  let blank = 0;
  for (const line of text.split('\n')) {
    let end = line.length;
    while (end > 0 && isTrailingSpace(line.charCodeAt(end - 1))) end--;
    if (end === 0) {
      blank++;
      continue;
    }
    if (out.length) out.push(blank > 0 ? '\n\n' : '\n');
    blank = 0;
    out.push(end === line.length ? line : line.slice(0, end));
  }
  return out.join('');
}

function isTrailingSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0;
}
