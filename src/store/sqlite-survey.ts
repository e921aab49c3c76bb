import type Database from 'better-sqlite3';
import type { Ticket } from '../domain/complaint';
import type { SurveyResponse } from '../domain/survey-instrument';
import type { SubmitOutcome, SurveyLink } from './survey-storage';

/** The SQLite tables of the survey (see survey-storage.ts); the store's group commit runs the writes. */
export const SURVEY_SCHEMA = `
CREATE TABLE IF NOT EXISTS survey_links (
  token_hash TEXT PRIMARY KEY, source TEXT NOT NULL, ticket_id TEXT, created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL, used_at TEXT, valid_days_after_resolution INTEGER
);
CREATE TABLE IF NOT EXISTS survey_responses (
  id TEXT PRIMARY KEY, source TEXT NOT NULL, ticket_id TEXT UNIQUE, submitted_at TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS survey_responses_at ON survey_responses (submitted_at);
`;

type Sql = (text: string) => Database.Statement;

interface LinkRow {
  token_hash: string;
  source: SurveyLink['source'];
  ticket_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  valid_days_after_resolution: number | null;
}

/** Databases made before receipt links get their column (old rows are links made after the resolution). */
export function migrateSurveyLinks(sql: Sql): void {
  const columns = sql('PRAGMA table_info(survey_links)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'valid_days_after_resolution'))
    sql('ALTER TABLE survey_links ADD COLUMN valid_days_after_resolution INTEGER').run();
}

export function insertLink(sql: Sql, link: Omit<SurveyLink, 'usedAt'>): void {
  sql(
    `INSERT INTO survey_links (token_hash, source, ticket_id, created_at, expires_at, valid_days_after_resolution)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING`,
  ).run(
    link.tokenHash,
    link.source,
    link.ticketId ?? null,
    link.createdAt,
    link.expiresAt,
    link.validDaysAfterResolution ?? null,
  );
}

export function readLink(sql: Sql, tokenHash: string): SurveyLink | undefined {
  const row = sql('SELECT * FROM survey_links WHERE token_hash = ?').get(tokenHash) as LinkRow | undefined;
  if (!row) return undefined;
  return {
    tokenHash: row.token_hash,
    source: row.source,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.ticket_id ? { ticketId: row.ticket_id } : {}),
    ...(row.used_at ? { usedAt: row.used_at } : {}),
    ...(row.valid_days_after_resolution !== null ? { validDaysAfterResolution: row.valid_days_after_resolution } : {}),
  };
}

/** Runs inside one write of the group commit: the insert and the link's mark stand or fall together. */
export function insertResponse(sql: Sql, response: SurveyResponse, tokenHash: string | undefined): SubmitOutcome {
  if (tokenHash) {
    const used = sql(`UPDATE survey_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`).run(
      response.submittedAt,
      tokenHash,
    );
    if (used.changes !== 1) return 'already-answered';
  }
  const inserted = sql(
    `INSERT INTO survey_responses (id, source, ticket_id, submitted_at, doc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
  ).run(response.id, response.source, response.ticketId ?? null, response.submittedAt, JSON.stringify(response));
  if (inserted.changes === 1) return 'accepted';
  // The ticket was answered another way (chat, another link): this link stays unused.
  if (tokenHash) sql('UPDATE survey_links SET used_at = NULL WHERE token_hash = ?').run(tokenHash);
  return 'already-answered';
}

export function responseOfTicket(sql: Sql, ticketId: string): SurveyResponse | undefined {
  const row = sql('SELECT doc FROM survey_responses WHERE ticket_id = ?').get(ticketId) as { doc: string } | undefined;
  return row ? (JSON.parse(row.doc) as SurveyResponse) : undefined;
}

export function responsesBetween(sql: Sql, from: string, to: string): SurveyResponse[] {
  const rows = sql(
    'SELECT doc FROM survey_responses WHERE submitted_at >= ? AND submitted_at < ? ORDER BY submitted_at, id',
  ).all(from, to) as Array<{ doc: string }>;
  return rows.map((row) => JSON.parse(row.doc) as SurveyResponse);
}

export function resolvedLacking(sql: Sql, kind: string, since: string, limit: number): Ticket[] {
  // Effect keys are `<ticket id>:<kind>`: a primary-key lookup per ticket.
  const rows = sql(
    `SELECT t.doc FROM tickets t WHERE t.status = 'resolved' AND t.created_at >= ?
       AND NOT EXISTS (SELECT 1 FROM effects e WHERE e.key = t.id || ':' || ? AND e.state = 'done')
       ORDER BY t.created_at LIMIT ?`,
  ).all(since, kind, limit) as Array<{ doc: string }>;
  return rows.map((row) => JSON.parse(row.doc) as Ticket);
}
