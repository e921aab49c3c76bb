import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/store';
import type { SurveyLink } from '../store/survey-storage';

/** 144 random bits, base64url (24 characters): unguessable, short enough for SMS and a printed slip. */
const TOKEN_BYTES = 18;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether a path segment can be a token at all (anything else is refused before the store is asked). */
export function isTokenShaped(value: string): boolean {
  return TOKEN_FORMAT.test(value);
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
 * A new link for a ticket's closure survey: the token goes into the message, only its hash into the store.
 * Every link of a ticket stays valid until it expires; the ticket still takes one response.
 */
export async function createTicketLink(
  store: Store,
  settings: LinkSettings,
  ticketId: string,
  now: Date,
): Promise<{ url: string; token: string; link: Omit<SurveyLink, 'usedAt'> }> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const link = {
    tokenHash: hashToken(token),
    source: 'closure' as const,
    ticketId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + settings.linkValidDays * 24 * 60 * 60_000).toISOString(),
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
