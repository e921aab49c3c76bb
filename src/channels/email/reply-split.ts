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
  // "X <x@y> menulis:" without the date part (phones): needs an address or a number on the line.
  /^.{0,200}(@|\d).{0,200}\b(wrote|menulis)\s*:\s*$/i,
  // Outlook and others: "-----Original Message-----", "----- Pesan Asli -----", forwarded blocks
  /^-{2,}\s*(original message|pesan asli|pesan asal|forwarded message|pesan yang diteruskan|pesan terusan|forwarded by)\b.*-*\s*$/i,
  /^_{10,}\s*$/,
];

/** Outlook's header block: "From: …" followed closely by "Sent: …"/"Date: …". */
const OUTLOOK_FROM = /^\*?(from|dari)\s*:\*?\s+\S/i;
const OUTLOOK_NEXT = /^\*?(sent|dikirim|date|tanggal|to|kepada|subject|perihal|subjek)\s*:/i;

/** Phone and webmail footers that are a signature, not content. */
const MOBILE_FOOTER = /^(dikirim dari|sent from|get outlook for|dapatkan outlook untuk|diketik dari|sent via|sent with)\b.{0,80}$/i;
/** Closing words that usually start a signature block at the end of an Indonesian letter. */
const CLOSING = /^(hormat\s+(saya|kami)|salam(\s+hormat)?|wassalam\w*|regards|best regards|kind regards|warm regards|tabik)\s*[,.]?\s*$/i;
const SIGNATURE_DELIMITER = /^-- ?$/;
const MAX_SIGNATURE_LINES = 8;

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
  while (lastUnquoted >= 0 && (!lines[lastUnquoted]!.trim() || lines[lastUnquoted]!.trim().startsWith('>'))) lastUnquoted--;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`.trim();
    if (QUOTE_OPENERS.some((re) => re.test(line))) return i;
    // The "On … wrote:" line is often wrapped over two lines by the sender's mail program.
    if (/^(on|pada)\s/i.test(line) && QUOTE_OPENERS[0]!.test(joined)) return i;
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l.trim()))) return i;
    // A trailing block in which every non-empty line is "> …" quoted.
    if (line.startsWith('>') && i > lastUnquoted) return i;
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
  while (cut > 0 && (MOBILE_FOOTER.test((lines[cut - 1] ?? '').trim()) || !(lines[cut - 1] ?? '').trim())) cut--;
  const footer = lines.slice(cut);

  // "Hormat saya,\nNama\n0812…" at the end of what is left.
  const from = Math.max(0, cut - MAX_SIGNATURE_LINES);
  for (let i = from; i < cut; i++) {
    if (CLOSING.test((lines[i] ?? '').trim())) return result(lines.slice(0, i), [...lines.slice(i, cut), ...footer]);
  }
  return result(lines.slice(0, cut), footer);
}

function result(text: string[], signature: string[]): { text: string; signature?: string } {
  const sig = trimBlock(signature.join('\n'));
  return { text: trimBlock(text.join('\n')), ...(sig ? { signature: sig } : {}) };
}

/** Drops leading/trailing blank lines and trailing spaces; keeps inner paragraph breaks (at most one blank line). */
export function trimBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
