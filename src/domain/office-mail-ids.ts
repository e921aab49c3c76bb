import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one place our Message-IDs and reply addresses are built and parsed.
 *
 * Mail that reaches staff (team mail, follow-ups, reminders, escalations, call-back tasks, "not sent"
 * notices) names its ticket with a token: `ADU-2026-000123-k7f3q9x2ab4c.team`, and its Reply-To is
 * `pengaduan+ADU-2026-000123-k7f3q9x2ab4c@…`. The token is a truncated HMAC-SHA256 of the ticket number
 * under a server secret, so only someone who received our mail can name it: a ticket number alone
 * (in a subject, a bare `+ADU-…` tag, a guessed Message-ID) proves nothing. Mail to citizens carries no
 * token (they never need to prove anything; the secret-derived token stays among staff).
 * Pure: the secrets are parameters.
 */

export interface ReplySecrets {
  /** Signs new tokens. */
  current: string;
  /** Earlier secrets: their tokens are still accepted, so rotating never breaks an open ticket. */
  previous: readonly string[];
}

/** 12 base32 characters: 60 bits, lower case (some mail systems lower-case local parts). */
const TOKEN_LENGTH = 12;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TICKET = /^ADU-\d{4}-\d{6,}$/i;

export function ticketToken(ticketNumber: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(`aduan-reply-v1:${ticketNumber.toUpperCase()}`).digest();
  let out = '';
  for (let i = 0; i < TOKEN_LENGTH; i++) {
    const bit = i * 5;
    const pair = (mac[bit >> 3]! << 8) | mac[(bit >> 3) + 1]!;
    out += BASE32[(pair >> (11 - (bit & 7))) & 31];
  }
  return out;
}

/** Every secret is tried, each compared in constant time, so the time tells neither the token nor the secret. */
export function verifyTicketToken(ticketNumber: string, token: string, secrets: ReplySecrets): boolean {
  const given = Buffer.from(token.toLowerCase());
  let matched = false;
  for (const secret of [secrets.current, ...secrets.previous]) {
    if (!secret) continue;
    const expected = Buffer.from(ticketToken(ticketNumber, secret));
    // A token of another length is wrong whatever it says (the length is no secret).
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}

/** `ADU-2026-000123-k7f3q9x2ab4c`: what staff-bound ids and reply addresses carry. */
export function tokenTag(ticketNumber: string, secrets: ReplySecrets): string {
  return `${ticketNumber}-${ticketToken(ticketNumber, secrets.current)}`;
}

/** The reply address of staff-bound mail: pengaduan+ADU-2026-000123-<token>@…. */
export function staffReplyAddress(fromAddress: string, ticketNumber: string, secrets: ReplySecrets): string {
  const at = fromAddress.lastIndexOf('@');
  return `${fromAddress.slice(0, at)}+${tokenTag(ticketNumber, secrets)}${fromAddress.slice(at)}`;
}

/** The reply address of citizen-bound mail: pengaduan+ADU-2026-000123@… (a follow-up, never proof). */
export function citizenReplyAddress(fromAddress: string, ticketNumber: string): string {
  const at = fromAddress.lastIndexOf('@');
  return `${fromAddress.slice(0, at)}+${ticketNumber}${fromAddress.slice(at)}`;
}

/** Id (Message-ID local part, outbox file name) of mail to staff: `ADU-2026-000123-<token>.<suffix>`. */
export function staffMailId(ticketNumber: string, suffix: string, secrets: ReplySecrets): string {
  return `${tokenTag(ticketNumber, secrets)}.${suffix}`;
}

/** Id of mail to a citizen: `ADU-2026-000123.<suffix>` (`ack`, `sol-…`). */
export function citizenMailId(ticketNumber: string, suffix: string): string {
  return `${ticketNumber}.${suffix}`;
}

/** The ticket number a citizen message id (`ADU-2026-000123.sol-…`) names. */
export function ticketNumberOfCitizenMailId(id: string): string {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : id;
}

/** The id of a citizen message that must not name its ticket (`join-<key>.notice`): see `namesTicket`. */
export function unnamedNoticeId(kind: string, key: string): string {
  return `${kind}-${key}.notice`;
}

/**
 * Whether a citizen message id names its ticket: not so for a notice that must not (a repeat complaint joined
 * through a NIK only: `join-….notice`), which no template may then name either.
 */
export function namesTicket(id: string): boolean {
  return /^ADU-\d{4}-\d{6,}$/.test(ticketNumberOfCitizenMailId(id));
}

/** `<id@domain>`: the Message-ID of a message with this id sent from this domain. */
export function messageIdFor(id: string, domain: string): string {
  return `<${id}@${domain}>`;
}

export type OwnMailPurpose = 'acknowledgement' | 'team' | 'alert';

export interface OwnMessage {
  purpose: OwnMailPurpose;
  ticketNumber?: string;
  /** The token it carries, if any: not checked here (see `provenTicket`). */
  token?: string;
  /** What follows the ticket: `team`, `remind`, `fu-…`, `ack`. */
  suffix?: string;
}

const OWN_LOCAL = /^(ADU-\d{4}-\d{6,})(?:-([a-z2-7]{1,32}))?\.([\w.-]{1,200})$/i;

/** Which of our mails a Message-ID is, if ours (domain compared case-insensitively). */
export function parseOwnMessageId(id: string, ownDomain: string): OwnMessage | undefined {
  const match = /^<([^@<>]{1,400})@([^<>]{1,400})>$/.exec(id);
  if (!match || match[2]!.toLowerCase() !== ownDomain.toLowerCase()) return undefined;
  const local = match[1]!;
  if (local.startsWith('alert.')) return { purpose: 'alert' };
  const ticket = OWN_LOCAL.exec(local);
  if (!ticket) return undefined;
  const suffix = ticket[3]!;
  // `.ack`, `.sol-…` and `.survey(-reminder)` reach the citizen; everything else (.team, .fu-…, .ack.not-sent) staff.
  const citizen = /^(ack|sol-[0-9a-f]+|survey|survey-reminder)$/i.test(suffix);
  return {
    purpose: citizen ? 'acknowledgement' : 'team',
    ticketNumber: ticket[1]!.toUpperCase(),
    ...(ticket[2] ? { token: ticket[2].toLowerCase() } : {}),
    suffix,
  };
}

/** Our mail to staff that is not the ticket itself: reminder, escalation, call-back task, "not sent" notice. */
export function isStaffNotice(message: OwnMessage): boolean {
  return message.purpose === 'team' && /^(remind|escalate|cb-[0-9a-f]+|.*not-sent)$/i.test(message.suffix ?? '');
}

/** The +tag of one of our addresses: `ADU-2026-000123` or `ADU-2026-000123-<token>`. */
export function parseReplyTag(tag: string): { ticketNumber: string; token?: string } | undefined {
  const match = /^(ADU-\d{4}-\d{6,})(?:-([a-z2-7]{1,32}))?$/i.exec(tag);
  if (!match) return undefined;
  return { ticketNumber: match[1]!.toUpperCase(), ...(match[2] ? { token: match[2].toLowerCase() } : {}) };
}

/** The +tag in an address local part (`pengaduan+ADU-…@x` → `ADU-…`), if it looks like ours. */
export function replyTagOf(address: string): string | undefined {
  const match = /\+(ADU-\d{4}-\d{6,}(?:-[a-z2-7]{1,32})?)@/i.exec(address);
  return match?.[1];
}

/** The ticket a tag or one of our Message-IDs names with a valid token; undefined when it proves nothing. */
export function provenTicket(
  named: { ticketNumber?: string; token?: string } | undefined,
  secrets: ReplySecrets,
): string | undefined {
  if (!named?.ticketNumber || !named.token || !TICKET.test(named.ticketNumber)) return undefined;
  return verifyTicketToken(named.ticketNumber, named.token, secrets) ? named.ticketNumber : undefined;
}
