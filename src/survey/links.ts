import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/store';
import type { SurveyLink } from '../store/survey-storage';
import type { Ticket } from '../domain/complaint';
import { newLinkTerms } from '../domain/survey-link';

/**
 * The one token scheme of every survey link (invitations, reminders, `aduan survey link`, a walk-in's
 * receipt): 13 characters of Crockford base32, 65 random bits. Short enough to type from a printed receipt,
 * unguessable (with the page's rate limit), and no ticket number in it. Read case-insensitively, with the
 * look-alikes i/l → 1 and o → 0 forgiven. Only the SHA-256 of the token is stored.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TOKEN_LENGTH = 13;
const SHORT_TOKEN = /^[0-9a-hjkmnp-tv-z]{13}$/;
/** Links sent before the short tokens: 144 bits of base64url, 24 characters, compared exactly. */
const LEGACY_TOKEN = /^[A-Za-z0-9_-]{24}$/;

export function newToken(): string {
  // 32 symbols: the low 5 bits of a uniform byte are uniform.
  return [...randomBytes(TOKEN_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** The token a path segment stands for, or undefined when it cannot be one (refused before the store is asked). */
export function readToken(value: string): string | undefined {
  if (LEGACY_TOKEN.test(value)) return value;
  if (value.length !== TOKEN_LENGTH) return undefined;
  const typed = value.toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
  return SHORT_TOKEN.test(typed) ? typed : undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface LinkSettings {
  publicBaseUrl: string;
  path: string;
  linkValidDays: number;
}

/** `<publicBaseUrl><path>/<token>` */
export function surveyUrl(settings: Pick<LinkSettings, 'publicBaseUrl' | 'path'>, token: string): string {
  return `${settings.publicBaseUrl.replace(/\/+$/, '')}${settings.path}/${token}`;
}

/**
 * A new link for a ticket's closure survey: the token goes into the message or onto the receipt, only its hash
 * into the store, before anyone sees the token. Valid `linkValidDays` from the later of now and the ticket's
 * resolution (src/domain/survey-link.ts). Every link of a ticket stays valid; the ticket still takes one response.
 */
export async function createTicketLink(
  store: Store,
  settings: LinkSettings,
  ticket: Pick<Ticket, 'id' | 'status'>,
  now: Date,
): Promise<{ url: string; token: string; link: Omit<SurveyLink, 'usedAt'> }> {
  const token = newToken();
  const link = {
    tokenHash: hashToken(token),
    source: 'closure' as const,
    ticketId: ticket.id,
    ...newLinkTerms(ticket, settings.linkValidDays, now),
  };
  await store.addSurveyLink(link);
  return { url: surveyUrl(settings, token), token, link };
}

/** Opt-outs are kept per channel and contact, hashed (the contact itself is personal data). */
export function optOutKey(channel: string, contact: string): string {
  return `survey-opt-out:${createHash('sha256').update(`${channel}\u0000${contact.toLowerCase()}`).digest('hex')}`;
}

export async function isOptedOut(store: Store, channel: string, contact: string): Promise<boolean> {
  return (await store.getCursor(optOutKey(channel, contact))) !== undefined;
}

export async function optOut(store: Store, channel: string, contact: string, at: Date): Promise<void> {
  await store.setCursor(optOutKey(channel, contact), at.toISOString());
}

/** The number of service users entered for a month (`aduan survey users`), the Krejcie–Morgan population. */
export function serviceUsersKey(period: string): string {
  return `survey-users:${period}`;
}
