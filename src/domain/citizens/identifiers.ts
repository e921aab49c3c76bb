import type { ChannelKey } from '../channels';
import type { ComplaintInput } from '../complaint';
import { normalizePhone } from '../phone';
import { validNik } from './nik';

/**
 * The identifiers a citizen record gathers, each as one normalized key `<kind>:<value>`:
 * phone in E.164, email case-folded, Messenger PSID, Instagram IGSID, WhatsApp wa_id (or business-scoped
 * user id), portal account id, NIK. The same person's identifiers on different channels stay different
 * records (a phone is shared by a family, a mailbox by a village office); only a matching NIK or staff
 * link them.
 */
export const IDENTIFIER_KINDS = ['phone', 'email', 'messenger', 'instagram', 'whatsapp', 'portal', 'nik'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** What a complaint tells about who sent it. */
export interface ComplaintIdentity {
  /** The identifier the channel answers (the record's own key); absent when the channel has none. */
  primary?: string;
  /** Other contacts it gave (a phone in the portal form, an email on a walk-in slip): hints only. */
  contacts: string[];
  /** A structurally valid NIK: links records. */
  nik?: string;
}

export function identifierKey(id: Identifier): string {
  return `${id.kind}:${id.value}`;
}

export function parseIdentifierKey(key: string): Identifier | undefined {
  const at = key.indexOf(':');
  const kind = key.slice(0, at) as IdentifierKind;
  return at > 0 && IDENTIFIER_KINDS.includes(kind) ? { kind, value: key.slice(at + 1) } : undefined;
}

const EXPLICIT = /^(phone|email|messenger|instagram|whatsapp|portal|nik):(.{1,200})$/s;

/**
 * An identifier as staff or the configuration write it: `+62 812-…`/`0812…` (phone), `x@y` (email), 16
 * digits (NIK), or explicit `messenger:<PSID>`, `instagram:<IGSID>`, `whatsapp:<wa_id>`, `portal:<account>`.
 */
export function parseIdentifier(raw: string): Identifier | undefined {
  const text = raw.trim();
  if (!text || text.length > 220) return undefined;
  const explicit = EXPLICIT.exec(text);
  if (explicit) return normalizeIdentifier(explicit[1] as IdentifierKind, explicit[2]!);
  if (text.includes('@')) return normalizeIdentifier('email', text);
  const digits = text.replace(/[\s.-]/g, '');
  if (/^\d{16}$/.test(digits)) return normalizeIdentifier('nik', digits);
  return normalizeIdentifier('phone', text);
}

export function normalizeIdentifier(kind: IdentifierKind, raw: string): Identifier | undefined {
  const value = raw.trim();
  switch (kind) {
    case 'phone': {
      const phone = normalizePhone(value);
      return phone ? { kind, value: phone } : undefined;
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+$/.test(value) ? { kind, value: value.toLowerCase() } : undefined;
    case 'nik': {
      const nik = validNik(value);
      return nik ? { kind, value: nik } : undefined;
    }
    case 'whatsapp': {
      // A wa_id is the number in international form; the business-scoped id is kept as given.
      const id = /^\+?\d{6,15}$/.test(value) ? value.replace(/^\+/, '') : value;
      return /^[A-Za-z0-9._-]{1,200}$/.test(id) ? { kind, value: id } : undefined;
    }
    default:
      return value && value.length <= 200 && !/\s/.test(value) ? { kind, value } : undefined;
  }
}

/** The identifier a channel answers a citizen on: what makes two of its messages the same sender. */
function primaryOf(complaint: ComplaintInput): Identifier | undefined {
  const c = complaint.complainant;
  const channel: ChannelKey = complaint.channel;
  switch (channel) {
    case 'email':
      return c.email ? normalizeIdentifier('email', c.email) : undefined;
    case 'messenger':
    case 'instagram':
      return c.platformUserId ? normalizeIdentifier(channel, c.platformUserId) : undefined;
    case 'whatsapp': {
      // platformUserId is `<our phone number id>:<wa_id>`: the citizen is the part after the colon.
      const id = c.platformUserId?.slice(c.platformUserId.indexOf(':') + 1);
      return id ? normalizeIdentifier('whatsapp', id) : undefined;
    }
    case 'perkebbas':
      // Without a reply address the portal's id is the record's own: it names no account.
      return c.platformUserId && c.platformUserId !== complaint.sourceId
        ? normalizeIdentifier('portal', c.platformUserId)
        : undefined;
    default:
      return c.phone ? normalizeIdentifier('phone', c.phone) : undefined;
  }
}

/**
 * Who sent a complaint, leaving out the configured shared/operator identifiers (`shared`: keys): a message
 * from a village operator's mailbox or a family phone gets a record of its own, linked to nobody.
 */
export function complaintIdentity(complaint: ComplaintInput, shared: ReadonlySet<string>): ComplaintIdentity {
  const c = complaint.complainant;
  const primary = primaryOf(complaint);
  const primaryKey = primary ? identifierKey(primary) : undefined;
  const contacts = [
    c.phone ? normalizeIdentifier('phone', c.phone) : undefined,
    c.email ? normalizeIdentifier('email', c.email) : undefined,
    // A WhatsApp wa_id is a phone number too: the same phone on the call-center is a hint.
  ]
    .filter((id): id is Identifier => id !== undefined)
    .map(identifierKey)
    .filter((key) => key !== primaryKey && !shared.has(key));
  const nik = validNik(c.nik);
  // A family phone listed as shared is shared on WhatsApp too (its wa_id is the same number).
  const alias = primary?.kind === 'whatsapp' && /^\d+$/.test(primary.value) ? `phone:+${primary.value}` : undefined;
  const isShared = primaryKey !== undefined && (shared.has(primaryKey) || (alias !== undefined && shared.has(alias)));
  return {
    ...(primaryKey && !isShared ? { primary: primaryKey } : {}),
    contacts: [...new Set(contacts)],
    ...(nik ? { nik } : {}),
  };
}

/** The configured shared identifiers as keys; an entry that names nothing is reported, not ignored. */
export function sharedIdentifierKeys(entries: readonly string[]): { keys: Set<string>; invalid: string[] } {
  const keys = new Set<string>();
  const invalid: string[] = [];
  for (const entry of entries) {
    const id = parseIdentifier(entry);
    if (id && id.kind !== 'nik') keys.add(identifierKey(id));
    else invalid.push(entry);
  }
  return { keys, invalid };
}
