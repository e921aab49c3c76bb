import type { PortalPollConfig } from './config-schema';
import { readPath } from '../shared/dot-path';
import { formatInZone } from '../shared/local-time';
import { ResponseShapeError } from '../shared/http-client';

/** Where the poller stands: the newest record time taken in, or the portal's cursor. */
export interface PollPosition {
  since?: string;
  cursor?: string;
}

/** Which page of the current poll to ask for. */
export type PageRef = { kind: 'first' } | { kind: 'number'; page: number } | { kind: 'link'; url: string };

/** The URL of one request: fixed query, incremental parameter and page parameters on the configured endpoint. */
export function pageUrl(poll: PortalPollConfig, position: PollPosition, page: PageRef, timeZone: string): string {
  if (page.kind === 'link') return new URL(page.url, poll.url).toString();
  const url = new URL(poll.url);
  for (const [key, value] of Object.entries(poll.query)) url.searchParams.set(key, value);
  const inc = poll.incremental;
  if (inc.kind === 'since' && position.since)
    url.searchParams.set(inc.param, formatSince(position.since, inc.format, inc.overlapSeconds, timeZone));
  if (inc.kind === 'cursor' && position.cursor) url.searchParams.set(inc.param, position.cursor);
  const pagination = poll.pagination;
  if (pagination.kind === 'page') {
    url.searchParams.set(pagination.param, String(page.kind === 'number' ? page.page : pagination.firstPage));
    if (pagination.sizeParam) url.searchParams.set(pagination.sizeParam, String(pagination.size));
  }
  return url.toString();
}

function formatSince(
  since: string,
  format: 'iso' | 'epoch-seconds' | 'epoch-ms',
  overlapSeconds: number,
  timeZone: string,
): string {
  const ms = Date.parse(since) - overlapSeconds * 1000;
  if (format === 'epoch-ms') return String(ms);
  if (format === 'epoch-seconds') return String(Math.floor(ms / 1000));
  return formatInZone(ms, timeZone);
}

/** The records array of a response; a response without one is the portal (or the config) having changed. */
export function recordsOf(body: unknown, recordsPath: string): unknown[] {
  const records = readPath(body, recordsPath);
  if (Array.isArray(records)) return records;
  const where = recordsPath ? `"${recordsPath}"` : 'the response itself';
  throw new ResponseShapeError(
    `expected an array of records at ${where}, found ${records === undefined ? 'nothing' : Array.isArray(records) ? 'an array' : typeof records}`,
  );
}

/** The next page of this poll, or undefined when this was the last one. */
export function nextPage(
  poll: PortalPollConfig,
  current: PageRef,
  body: unknown,
  linkHeader: string | null,
  recordCount: number,
): PageRef | undefined {
  const pagination = poll.pagination;
  if (pagination.kind === 'page') {
    if (recordCount < pagination.size) return undefined;
    const page = current.kind === 'number' ? current.page : pagination.firstPage;
    return { kind: 'number', page: page + 1 };
  }
  if (pagination.kind === 'next-link') {
    const link = pagination.responsePath ? readPath(body, pagination.responsePath) : nextFromLinkHeader(linkHeader);
    return typeof link === 'string' && link.trim() !== '' ? { kind: 'link', url: link } : undefined;
  }
  return undefined;
}

/** The cursor the response hands out for the next poll (cursor mode), if any. */
export function nextCursor(poll: PortalPollConfig, body: unknown): string | undefined {
  if (poll.incremental.kind !== 'cursor') return undefined;
  const value = readPath(body, poll.incremental.responsePath);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * RFC 8288: `<https://…?page=2>; rel="next", <…>; rel="last"`. Read with indexOf and split, not
 * with a pattern per link: a long header of almost-links made the former one quadratic.
 */
export function nextFromLinkHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  let at = header.indexOf('<');
  while (at >= 0) {
    const end = header.indexOf('>', at + 1);
    if (end < 0) return undefined;
    const nextLink = header.indexOf('<', end + 1);
    const params = header.slice(end + 1, nextLink < 0 ? header.length : nextLink);
    if (relationsOf(params).includes('next')) return header.slice(at + 1, end);
    at = nextLink;
  }
  return undefined;
}

/** The relation types of one link's parameters (`; rel="next last"`), lower case. */
function relationsOf(params: string): string[] {
  for (const param of params.split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'rel') continue;
    return param
      .slice(eq + 1)
      .replace(/[",]/g, ' ')
      .trim()
      .toLowerCase()
      .split(/\s+/);
  }
  return [];
}
