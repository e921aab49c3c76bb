import type { Attachment as MailAttachment, ParsedMail as MailparserMail } from 'mailparser';
import { formatJakartaTime } from '../../domain/messages';
import { sanitizeLine } from '../../domain/text-sanitizer';

/**
 * Messages attached to a mail (message/rfc822: a village office forwarding a citizen's mail "as
 * attachment", Outlook's forward as attachment, an .eml file) are unpacked: their text joins the
 * ticket text below the cover note, their files join the ticket's files. Nested forwards are followed
 * MAX_FORWARD_DEPTH levels deep; beyond that, past the count or size budget, or when a part cannot be
 * read, the message stays an ordinary .eml attachment. Each part is parsed once: linear in the mail.
 */

/** The mail itself is level 0; a forward inside a forward inside a forward (level 3) is still unpacked. */
export const MAX_FORWARD_DEPTH = 3;
/** Attached messages unpacked per mail, all levels together. */
export const MAX_FORWARDED_MESSAGES = 20;
/** Bytes of attached messages unpacked per mail, all levels together. */
export const MAX_FORWARDED_BYTES = 25 * 1024 * 1024;
/** Characters of one attached message's text kept (the ticket text is cut again as a whole). */
const MAX_FORWARDED_TEXT = 200_000;

export interface ForwardedMessage {
  from?: string;
  /** The sender's address, lower case, when one could be read. */
  fromAddress?: string;
  date?: Date;
  subject?: string;
  text: string;
  /** Its own files (not those of messages forwarded inside it: see `forwarded`). */
  attachments: MailAttachment[];
  forwarded: ForwardedMessage[];
}

/** Shared by every level of one mail. */
export interface ForwardBudget {
  messages: number;
  bytes: number;
}

export function newForwardBudget(): ForwardBudget {
  return { messages: 0, bytes: 0 };
}

/** A parsed mail plus what was unpacked from it. */
export type UnpackedMail = MailparserMail & { forwarded?: ForwardedMessage[] };

/** Whether a part is an attached message we can read (message/rfc822, its UTF-8 form, an .eml file). */
export function isAttachedMessage(part: Pick<MailAttachment, 'contentType' | 'filename'>): boolean {
  return (
    /^message\/(rfc822|global)$/i.test(part.contentType) ||
    (/\.eml$/i.test(part.filename ?? '') && /^(application\/octet-stream|text\/plain)$/i.test(part.contentType))
  );
}

/**
 * Replaces the readable attached messages of `mail` by `mail.forwarded`; `parse` reads one (and, being
 * parseEmail at the next level, unpacks what it holds). A delivery report's returned message is no
 * forward: it stays for delivery-report.ts.
 */
export async function unpackForwarded(
  mail: UnpackedMail,
  depth: number,
  budget: ForwardBudget,
  parse: (raw: Buffer, depth: number) => Promise<UnpackedMail>,
): Promise<void> {
  if (depth >= MAX_FORWARD_DEPTH || isBounce(mail)) return;
  const kept: MailAttachment[] = [];
  const forwarded: ForwardedMessage[] = [];
  for (const part of mail.attachments) {
    const fits =
      isAttachedMessage(part) &&
      budget.messages < MAX_FORWARDED_MESSAGES &&
      budget.bytes + part.content.length <= MAX_FORWARDED_BYTES;
    const inner = fits ? await readInner(part.content, depth + 1, budget, parse) : undefined;
    if (inner) forwarded.push(inner);
    else kept.push(part);
  }
  if (forwarded.length === 0) return;
  mail.attachments = kept;
  mail.forwarded = forwarded;
}

/** A delivery report, also an old MTA's without multipart/report: its returned message is evidence, not a forward. */
function isBounce(mail: UnpackedMail): boolean {
  const type = mail.headers.get('content-type') as { value?: string } | undefined;
  const sender = mail.from?.value[0]?.address ?? '';
  return (
    /^multipart\/report$/i.test(type?.value ?? '') ||
    mail.headers.has('x-failed-recipients') ||
    /^(mailer-daemon|postmaster)@/i.test(sender)
  );
}

async function readInner(
  content: Buffer,
  depth: number,
  budget: ForwardBudget,
  parse: (raw: Buffer, depth: number) => Promise<UnpackedMail>,
): Promise<ForwardedMessage | undefined> {
  budget.messages += 1;
  budget.bytes += content.length;
  let inner: UnpackedMail;
  try {
    inner = await parse(content, depth);
  } catch {
    return undefined;
  }
  const first = inner.from?.value[0];
  const fromAddress = first?.address?.trim().toLowerCase() || undefined;
  const shown = first?.name && fromAddress ? `${first.name} <${fromAddress}>` : (fromAddress ?? inner.from?.text);
  const from = shown ? sanitizeLine(shown, 500) || undefined : undefined;
  const subject = inner.subject ? sanitizeLine(inner.subject, 998) : undefined;
  const text = (inner.text ?? '').slice(0, MAX_FORWARDED_TEXT).trim();
  const date = inner.date && !Number.isNaN(inner.date.getTime()) ? inner.date : undefined;
  // Not a message at all (an empty part, a file named .eml): better kept as it came.
  if (!from && !subject && !text && inner.attachments.length === 0 && !inner.forwarded?.length) return undefined;
  return {
    ...(from ? { from } : {}),
    ...(fromAddress ? { fromAddress } : {}),
    ...(date ? { date } : {}),
    ...(subject ? { subject } : {}),
    text,
    attachments: inner.attachments,
    forwarded: inner.forwarded ?? [],
  };
}

export const FORWARD_START = '---- Pesan yang diteruskan ----';
export const FORWARD_END = '---- Akhir pesan yang diteruskan ----';

/** The forwarded messages as staff read them below the cover note, nested ones inside their parent. */
export function forwardedText(messages: readonly ForwardedMessage[]): string {
  return messages.map(block).join('\n\n');
}

/** The office's zone: the dates staff read are WIB. */
const TIME_ZONE = 'Asia/Jakarta';

function block(message: ForwardedMessage): string {
  const lines = [
    FORWARD_START,
    `Dari: ${message.from ?? '(tidak diketahui)'}`,
    ...(message.date ? [`Tanggal: ${formatJakartaTime(message.date.toISOString(), TIME_ZONE)} WIB`] : []),
    `Subjek: ${message.subject ?? '(tanpa subjek)'}`,
    ...(message.attachments.length ? [`Lampiran: ${message.attachments.length} berkas (terlampir pada tiket)`] : []),
    '',
    neutralizeMarkers(message.text) || '(pesan ini tidak berisi teks)',
  ];
  const nested = message.forwarded.length ? `\n\n${forwardedText(message.forwarded)}` : '';
  return `${lines.join('\n')}${nested}\n${FORWARD_END}`;
}

/**
 * A forwarded message's own text may contain lines that look like our block markers: typed by its author, they
 * would let the text seem to end the block and go on as the sender's cover note (or open a fake forward from
 * someone else). Such lines are quoted, so only the markers this module writes stand alone.
 */
function neutralizeMarkers(text: string): string {
  if (!text.includes('iteruskan ----')) return text;
  return text
    .split('\n')
    .map((line) => (isMarkerLike(line) ? `> ${line}` : line))
    .join('\n');
}

function isMarkerLike(line: string): boolean {
  const trimmed = line.trim().toLowerCase();
  return trimmed.startsWith('----') && trimmed.endsWith('----') && trimmed.includes('pesan yang diteruskan');
}

/** Every file of the forwarded messages, nested ones included, in reading order. */
export function forwardedAttachments(messages: readonly ForwardedMessage[]): MailAttachment[] {
  return messages.flatMap((m) => [...m.attachments, ...forwardedAttachments(m.forwarded)]);
}
