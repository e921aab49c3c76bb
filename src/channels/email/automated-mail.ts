import { parseOwnMessageId, parseReplyTag } from '../../domain/office-mail-ids';
import { canonicalAddress } from './loop-guard';

/**
 * Whether a mail was written by a machine rather than a person, on the strong signals only: what RFC 3834,
 * RFC 2369/2919 (lists), RFC 3464/8098 (reports) and the big mail systems write, plus mail forged with our
 * own intake address. Such mail never becomes a ticket (see EmailProcessor). The weaker signs (a no-reply
 * sender, an "out of office" subject alone) only stop our automatic reply (loop-guard.ts): a citizen's
 * complaint may well come from such an address or carry such a subject. Reasons are for staff (Indonesian).
 */

export type NoiseKind = 'auto-reply' | 'auto-generated' | 'bulk' | 'list' | 'delivery-report' | 'forged-own-address';

export interface AutomatedMail {
  kind: NoiseKind;
  reason: string;
}

export interface AutomatedMailFacts {
  /** First value of each header, keys in lower case, folding undone. */
  headers: ReadonlyMap<string, string>;
  /** The From address, lower case, if one could be read. */
  sender: string | undefined;
  subject: string | undefined;
  /** Message-ID (or stand-in) of the mail. */
  sourceId: string;
  /** In-Reply-To and References ids. */
  references: readonly string[];
  /** The +tag of our address the mail was sent to, if any (pengaduan+ADU-…@). */
  replyTag: string | undefined;
}

export interface AutomatedMailContext {
  /** Canonical addresses the office receives complaints at and sends from (not staff mailboxes). */
  intakeAddresses: ReadonlySet<string>;
  /** Domain of our Message-IDs and of our own lists (a Google Group as the intake address is not a newsletter). */
  ownDomain: string;
  /** Addresses and `@domain`s whose machine-written mail is a complaint all the same (a portal passing reports on). */
  acceptFrom?: readonly string[];
}

const BOUNCE_SENDER = /^(mailer-daemon|postmaster)$/i;
/** Anchored at the start: "Automatic reply: …", "Balasan Otomatis: …", "Out of Office: …". */
const AUTO_REPLY_SUBJECT =
  /^\s*(automatic reply|auto(matic)?[ -]?reply|autoreply|auto-response|out of (the )?office|abwesenheitsnotiz|balasan otomatis|jawaban otomatis)\b/i;

export function classifyAutomatedMail(mail: AutomatedMailFacts, ctx: AutomatedMailContext): AutomatedMail | undefined {
  const header = (name: string) => mail.headers.get(name)?.trim();
  const sender = mail.sender ? canonicalAddress(mail.sender) : undefined;
  const localPart = sender?.slice(0, sender.lastIndexOf('@')) ?? '';

  if (sender && isAccepted(sender, ctx.acceptFrom ?? [])) return undefined;

  const contentType = header('content-type') ?? '';
  if (/^multipart\/report\b/i.test(contentType)) {
    const receipt = /report-type\s*=\s*"?disposition-notification/i.test(contentType);
    return {
      kind: 'delivery-report',
      reason: receipt
        ? 'tanda terima baca (Content-Type: multipart/report; disposition-notification)'
        : 'laporan pengiriman dari server email (Content-Type: multipart/report)',
    };
  }
  if (header('x-failed-recipients') !== undefined)
    return { kind: 'delivery-report', reason: 'laporan gagal kirim (X-Failed-Recipients)' };
  if (BOUNCE_SENDER.test(localPart))
    return { kind: 'delivery-report', reason: `laporan dari server email (pengirim ${localPart})` };

  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) {
    const value = autoSubmitted.split(';')[0]!.trim().slice(0, 40);
    return /^auto-replied/i.test(value)
      ? { kind: 'auto-reply', reason: `balasan otomatis (Auto-Submitted: ${value})` }
      : { kind: 'auto-generated', reason: `pesan yang dibuat mesin (Auto-Submitted: ${value})` };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (mail.headers.has(name)) return { kind: 'auto-reply', reason: `balasan otomatis (${displayName(name)})` };
  }
  const precedence = header('precedence')?.toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto-reply', reason: 'balasan otomatis (Precedence: auto_reply)' };
  const suppress = mail.headers.has('x-auto-response-suppress');
  if (suppress && mail.subject && AUTO_REPLY_SUBJECT.test(mail.subject))
    return { kind: 'auto-reply', reason: 'balasan otomatis Outlook/Exchange (subjek dan X-Auto-Response-Suppress)' };
  // Not a signal on its own: X-MS-Exchange-Generated-Message-Source ("Mailbox Rules Agent") is also on a
  // citizen's mail that a village office's inbox rule forwarded to us. Exchange's own automatic replies
  // carry X-Auto-Response-Suppress and Auto-Submitted, which count here.
  if (suppress) return { kind: 'auto-generated', reason: 'pesan yang dibuat mesin (X-Auto-Response-Suppress)' };

  // Our own list (the intake address as a Google Group or a Mailman list) adds list headers to every
  // citizen's mail: those are not a newsletter.
  if (!isOwnList(header('list-id'), header('list-post'), ctx)) {
    if (header('list-id') !== undefined || header('list-post') !== undefined)
      return { kind: 'list', reason: `email milis (${header('list-id') !== undefined ? 'List-Id' : 'List-Post'})` };
    if (header('list-unsubscribe') !== undefined)
      return { kind: 'bulk', reason: 'email massal/buletin (List-Unsubscribe)' };
    if (precedence === 'list') return { kind: 'list', reason: 'email milis (Precedence: list)' };
    if (precedence === 'bulk' || precedence === 'junk')
      return { kind: 'bulk', reason: `email massal (Precedence: ${precedence})` };
  }

  const returnPath = header('return-path');
  if (returnPath !== undefined && /^<\s*>$|^$/.test(returnPath))
    return { kind: 'auto-generated', reason: 'alamat pengembalian kosong (Return-Path: <>), ciri pesan mesin' };

  if (sender && ctx.intakeAddresses.has(sender) && !carriesOurIds(mail, ctx.ownDomain))
    return {
      kind: 'forged-own-address',
      reason: `memakai alamat kantor sendiri (${sender}) tanpa Message-ID atau token kantor; kemungkinan email palsu`,
    };
  return undefined;
}

/** The sender, or its domain as `@domain`, is listed (letter case and +tags ignored). */
function isAccepted(sender: string, accepted: readonly string[]): boolean {
  const domain = sender.slice(sender.lastIndexOf('@'));
  return accepted.some((entry) => {
    const wanted = canonicalAddress(entry);
    return wanted.startsWith('@') ? wanted === domain : wanted === sender;
  });
}

/** A List-Id under our own domain, or a List-Post naming one of our intake addresses. */
function isOwnList(listId: string | undefined, listPost: string | undefined, ctx: AutomatedMailContext): boolean {
  const domain = ctx.ownDomain.toLowerCase();
  const id = /<([^<>]{1,300})>/.exec(listId ?? '')?.[1]?.toLowerCase() ?? listId?.toLowerCase() ?? '';
  if (id && (id === domain || id.endsWith(`.${domain}`))) return true;
  const post = /mailto:([^>\s,]{1,300})/i.exec(listPost ?? '')?.[1];
  return post !== undefined && ctx.intakeAddresses.has(canonicalAddress(post));
}

/**
 * Whether the mail is ours or answers ours: one of our Message-IDs, or a ticket tag with a token in the
 * address it was sent to (whether the token is right is the intake stage's check on claimed staff mail).
 */
function carriesOurIds(mail: AutomatedMailFacts, ownDomain: string): boolean {
  if (mail.replyTag && parseReplyTag(mail.replyTag)?.token) return true;
  return [mail.sourceId, ...mail.references].some((id) => parseOwnMessageId(id, ownDomain) !== undefined);
}

function displayName(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
