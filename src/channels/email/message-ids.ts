import { createHash } from 'node:crypto';

/** Message-ID handling: the ids are the email channel's source ids and threading keys. */

const ID_IN_BRACKETS = /<([^<>\s]+)>/g;

/** `<a@b>`, `a@b` or ` <a@b> ` → `<a@b>`; undefined when nothing id-like is there. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  const ids = parseMessageIds(value);
  return ids[0];
}

/** All ids in a References / In-Reply-To value, in order, each `<…>`, duplicates removed. */
export function parseMessageIds(value: string | string[] | undefined): string[] {
  const text = (Array.isArray(value) ? value.join(' ') : (value ?? '')).trim();
  if (!text) return [];
  const found = [...text.matchAll(ID_IN_BRACKETS)].map((m) => `<${m[1]}>`);
  if (found.length === 0 && /^[^\s<>]+@[^\s<>]+$/.test(text)) found.push(`<${text}>`);
  return [...new Set(found)].filter((id) => id.length <= 998);
}

/**
 * A stable stand-in when a message has no Message-ID: the same message read twice (re-poll, new
 * UIDVALIDITY) gets the same id, so the store still sees the duplicate.
 */
export function fallbackMessageId(parts: { headers: string[]; body: string }): string {
  const hash = createHash('sha256');
  for (const header of parts.headers) hash.update(header.trim()).update('\n');
  hash.update('\u0000').update(parts.body);
  return `<no-message-id.${hash.digest('hex').slice(0, 40)}@aduan.invalid>`;
}

// Our own Message-IDs and reply addresses are built and parsed in src/domain/office-mail-ids.ts.
