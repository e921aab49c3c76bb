import type { ChannelKey } from './channels';
import type { Ticket } from './complaint';
import { normalizePhone, phoneFromWaId } from './phone';

/**
 * Who a data-subject request (UU No. 27/2022 PDP: access, erasure, restriction) is about, named by one
 * identifier the citizen used. Tickets are matched on their contact fields EXACTLY (never on a name,
 * never on text): a name is shared by many people, and the office must not hand one citizen's data to
 * another. `citizen:<id>` names a citizen record: its linked records' tickets (src/privacy/subject-resolver).
 */
export type SubjectRef =
  | { kind: 'email'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'psid'; value: string }
  | { kind: 'igsid'; value: string }
  | { kind: 'wa-id'; value: string }
  | { kind: 'nik'; value: string }
  | { kind: 'ticket'; value: string }
  /** A citizen record (`aduan citizen show`): with every record linked to it, their identifiers and tickets. */
  | { kind: 'citizen'; value: string };

export type SubjectKind = SubjectRef['kind'];
export const SUBJECT_KINDS: readonly SubjectKind[] = [
  'email',
  'phone',
  'psid',
  'igsid',
  'wa-id',
  'nik',
  'ticket',
  'citizen',
];

/** Resolves a subject to the tickets whose citizen contact fields match exactly. */
export interface SubjectResolver {
  resolve(ref: SubjectRef): Promise<Ticket[]>;
}

/** A contact field match a store can answer with an index or a scan: one field, one exact value. */
export interface ContactMatch {
  field: 'email' | 'phone' | 'platformUserId' | 'nik';
  value: string;
  /** Only tickets of this channel (a PSID means nothing outside Messenger). */
  channel?: ChannelKey;
}

export type ParsedSubject = { ok: true; ref: SubjectRef } | { ok: false; reason: string };

/**
 * Checks and normalizes what the operator typed: an e-mail address is case-folded, a phone number is
 * brought to E.164 (0812…, 62812…, +62 812… all name the same number), a NIK is 16 digits.
 */
export function parseSubject(kind: SubjectKind, raw: string): ParsedSubject {
  const value = raw.trim();
  const bad = (why: string): ParsedSubject => ({ ok: false, reason: `--${kind} "${raw.slice(0, 80)}": ${why}` });
  switch (kind) {
    case 'email':
      return /^[^\s@]{1,200}@[^\s@]{1,200}$/.test(value)
        ? { ok: true, ref: { kind, value: value.toLowerCase() } }
        : bad('bukan alamat email / not an e-mail address');
    case 'phone': {
      const phone = normalizePhone(value);
      return phone ? { ok: true, ref: { kind, value: phone } } : bad('bukan nomor telepon / not a phone number');
    }
    case 'wa-id':
      return phoneFromWaId(value) ? { ok: true, ref: { kind, value } } : bad('wa_id adalah 8–15 angka / 8–15 digits');
    case 'nik': {
      const digits = value.replace(/[\s.-]/g, '');
      return /^\d{16}$/.test(digits)
        ? { ok: true, ref: { kind, value: digits } }
        : bad('NIK adalah 16 angka / 16 digits');
    }
    case 'ticket':
      return /^ADU-\d{4}-\d{6}$/i.test(value)
        ? { ok: true, ref: { kind, value: value.toUpperCase() } }
        : bad('nomor tiket seperti ADU-2026-000123 / a ticket number');
    case 'citizen': {
      const id = value.replace(/^citizen:/i, '');
      return /^[A-Za-z0-9_-]{1,100}$/.test(id)
        ? { ok: true, ref: { kind, value: id } }
        : bad('id rekaman warga seperti citizen:<id> / a citizen record id');
    }
    case 'psid':
    case 'igsid':
      return /^\d{5,30}$/.test(value) ? { ok: true, ref: { kind, value } } : bad('id berupa angka / numeric id');
  }
}

/** The store query for a subject (a ticket number is looked up by number instead). */
export function contactMatchOf(ref: SubjectRef): ContactMatch | undefined {
  switch (ref.kind) {
    case 'email':
      return { field: 'email', value: ref.value };
    case 'phone':
      return { field: 'phone', value: ref.value };
    case 'wa-id':
      return { field: 'phone', value: phoneFromWaId(ref.value)!, channel: 'whatsapp' };
    case 'psid':
      return { field: 'platformUserId', value: ref.value, channel: 'messenger' };
    case 'igsid':
      return { field: 'platformUserId', value: ref.value, channel: 'instagram' };
    case 'nik':
      return { field: 'nik', value: ref.value };
    case 'ticket':
    case 'citizen':
      return undefined;
  }
}

/** One string per subject, as restrictions and request records store it: `phone:+62812…`. */
export function subjectKey(ref: SubjectRef): string {
  return `${ref.kind}:${ref.value}`;
}

/**
 * Every subject key a ticket answers to: a restriction recorded under any of them covers the ticket
 * (and later tickets from the same identifier).
 */
export function subjectKeysOf(ticket: Pick<Ticket, 'channel' | 'complainant' | 'ticketNumber'>): string[] {
  const c = ticket.complainant;
  const keys = [`ticket:${ticket.ticketNumber}`];
  if (c.email) keys.push(`email:${c.email.toLowerCase()}`);
  if (c.phone) keys.push(`phone:${c.phone}`);
  if (c.nik) keys.push(`nik:${c.nik}`);
  if (ticket.channel === 'whatsapp' && c.phone?.startsWith('+')) keys.push(`wa-id:${c.phone.slice(1)}`);
  if (ticket.channel === 'messenger' && c.platformUserId) keys.push(`psid:${c.platformUserId}`);
  if (ticket.channel === 'instagram' && c.platformUserId) keys.push(`igsid:${c.platformUserId}`);
  return keys;
}

/** A subject key for logs, audit records and team mail: the identifier masked. */
export function maskedSubjectKey(key: string): string {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (kind === 'ticket' || kind === 'citizen') return key;
  if (kind === 'email') {
    const at = value.indexOf('@');
    return `email:${value.slice(0, 1)}***${at >= 0 ? value.slice(at) : ''}`;
  }
  return `${kind}:${'*'.repeat(Math.max(0, value.length - 3))}${value.slice(-3)}`;
}
