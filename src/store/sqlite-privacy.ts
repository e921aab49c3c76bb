import type Database from 'better-sqlite3';
import { storedFilesOf, storedFilesOfRecord } from '../domain/anonymize';
import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import type { ContactMatch } from '../domain/data-subject';
import type {
  DataRequest,
  DataRequestStatus,
  PrivacyAuditRecord,
  PrivacyRecords,
  Restriction,
  UnticketedPurge,
} from './privacy-records';
import { timeOrderedId } from './time-ordered-id';

export const PRIVACY_SCHEMA = `
CREATE TABLE IF NOT EXISTS data_requests (id TEXT PRIMARY KEY, status TEXT NOT NULL, received_at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS data_requests_status ON data_requests (status, received_at);
CREATE TABLE IF NOT EXISTS restrictions (subject TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS privacy_audit (id TEXT PRIMARY KEY, at TEXT NOT NULL, doc TEXT NOT NULL);
`;

/** The fields a contact match may name: constants, never input, so they may be spliced into the query. */
const CONTACT_PATH: Record<ContactMatch['field'], string> = {
  email: '$.complainant.email',
  phone: '$.complainant.phone',
  platformUserId: '$.complainant.platformUserId',
  nik: '$.complainant.nik',
};

/**
 * The SQLite side of PrivacyRecords, on the store's connection: reads run at once, writes join the
 * store's group commit (`write`), so an anonymization is one atomic write like every other.
 */
export class SqlitePrivacyRecords implements PrivacyRecords {
  constructor(
    private readonly sql: (text: string) => Database.Statement,
    private readonly write: <T>(run: () => T) => Promise<T>,
  ) {}

  async findTicketsByContact(match: ContactMatch): Promise<Ticket[]> {
    const value = `json_extract(doc, '${CONTACT_PATH[match.field]}')`;
    const compare = match.field === 'email' ? `lower(${value}) = lower(@value)` : `${value} = @value`;
    const rows = this.sql(
      `SELECT doc FROM tickets WHERE (@channel IS NULL OR channel = @channel) AND ${compare} ORDER BY created_at`,
    ).all({ value: match.value, channel: match.channel ?? null }) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as Ticket);
  }

  async listRetentionCandidates(receivedBefore: string, limit: number, afterId = ''): Promise<Ticket[]> {
    const rows = this.sql(
      `SELECT doc FROM tickets WHERE status = 'resolved' AND received_at < ? AND id > ?
         AND json_extract(doc, '$.anonymized') IS NULL ORDER BY id LIMIT ?`,
    ).all(receivedBefore, afterId, limit) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as Ticket);
  }

  replaceWithAnonymized(anonymized: Ticket): Promise<boolean> {
    return this.write((): boolean => {
      const before = this.sql(
        `SELECT channel, source_id FROM tickets WHERE id = ? AND json_extract(doc, '$.anonymized') IS NULL`,
      ).get(anonymized.id) as { channel: ChannelKey; source_id: string } | undefined;
      if (!before) return false;
      const refs = this.sql('SELECT channel, ref FROM message_refs WHERE ticket_id = ?').all(anonymized.id) as Array<{
        channel: string;
        ref: string;
      }>;
      this.sql('UPDATE tickets SET source_id = @sourceId, doc = @doc WHERE id = @id').run({
        id: anonymized.id,
        sourceId: anonymized.sourceId,
        doc: JSON.stringify(anonymized),
      });
      this.sql('DELETE FROM message_refs WHERE ticket_id = ?').run(anonymized.id);
      this.sql('UPDATE effects SET detail = NULL WHERE ticket_id = ?').run(anonymized.id);
      for (const { channel, ref } of [{ channel: before.channel, ref: before.source_id }, ...refs]) {
        // The entry stays (a redelivered message is still recognised as seen), its copy of the message goes.
        this.sql(`UPDATE intake SET payload = '' WHERE channel = ? AND source_id = ?`).run(channel, ref);
        this.sql('DELETE FROM held_chat WHERE channel = ? AND merged_into = ?').run(channel, ref);
      }
      return true;
    });
  }

  async listReferencedFiles(): Promise<string[]> {
    const files = new Set<string>();
    const tickets = this.sql(`SELECT doc FROM tickets WHERE instr(doc, '"storedAt"') > 0`).iterate() as Iterable<{
      doc: string;
    }>;
    for (const row of tickets) for (const file of storedFilesOf(JSON.parse(row.doc) as Ticket)) files.add(file);
    const payloads = this.sql(
      `SELECT payload FROM intake WHERE state != 'done' AND instr(payload, '"storedAt"') > 0
       UNION ALL SELECT payload FROM held_chat WHERE merged_into IS NULL AND instr(payload, '"storedAt"') > 0
       UNION ALL SELECT payload FROM quarantine WHERE instr(payload, '"storedAt"') > 0`,
    ).iterate() as Iterable<{ payload: string }>;
    for (const row of payloads) for (const file of storedFilesOfRecord(row.payload)) files.add(file);
    return [...files];
  }

  purgeUnticketedBefore(before: string): Promise<UnticketedPurge> {
    return this.write(() => ({
      heldChat: this.sql('DELETE FROM held_chat WHERE merged_into IS NULL AND received_at < ?').run(before).changes,
      quarantine: this.sql('DELETE FROM quarantine WHERE at < ?').run(before).changes,
      noise: this.sql('DELETE FROM noise WHERE at < ?').run(before).changes,
    }));
  }

  saveDataRequest(request: DataRequest): Promise<void> {
    return this.write(() => {
      this.sql(
        `INSERT INTO data_requests (id, status, received_at, doc) VALUES (@id, @status, @receivedAt, @doc)
           ON CONFLICT(id) DO UPDATE SET status = excluded.status, doc = excluded.doc`,
      ).run({ id: request.id, status: request.status, receivedAt: request.receivedAt, doc: JSON.stringify(request) });
    });
  }

  async getDataRequest(id: string): Promise<DataRequest | undefined> {
    const row = this.sql('SELECT doc FROM data_requests WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as DataRequest) : undefined;
  }

  async listDataRequests(status?: DataRequestStatus): Promise<DataRequest[]> {
    const rows = this.sql(
      'SELECT doc FROM data_requests WHERE (@status IS NULL OR status = @status) ORDER BY received_at DESC, id DESC',
    ).all({ status: status ?? null }) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as DataRequest);
  }

  setRestriction(subject: string, restriction: Restriction | undefined): Promise<void> {
    return this.write(() => {
      if (restriction)
        this.sql('INSERT OR REPLACE INTO restrictions (subject, doc) VALUES (?, ?)').run(
          subject,
          JSON.stringify(restriction),
        );
      else this.sql('DELETE FROM restrictions WHERE subject = ?').run(subject);
    });
  }

  async findRestrictions(subjects: string[]): Promise<Restriction[]> {
    if (subjects.length === 0) return [];
    const marks = subjects.map(() => '?').join(',');
    const rows = this.sql(`SELECT doc FROM restrictions WHERE subject IN (${marks})`).all(...subjects) as Array<{
      doc: string;
    }>;
    return rows.map((r) => JSON.parse(r.doc) as Restriction);
  }

  appendPrivacyAudit(record: Omit<PrivacyAuditRecord, 'id'>): Promise<PrivacyAuditRecord> {
    return this.write(() => {
      const full: PrivacyAuditRecord = { id: timeOrderedId(), ...record };
      this.sql('INSERT INTO privacy_audit (id, at, doc) VALUES (?, ?, ?)').run(full.id, full.at, JSON.stringify(full));
      return full;
    });
  }

  async listPrivacyAudit(limit = 100): Promise<PrivacyAuditRecord[]> {
    const rows = this.sql('SELECT doc FROM privacy_audit ORDER BY at DESC, id DESC LIMIT ?').all(limit) as Array<{
      doc: string;
    }>;
    return rows.map((r) => JSON.parse(r.doc) as PrivacyAuditRecord);
  }

  async getIntakePayload(channel: ChannelKey, sourceId: string): Promise<string | undefined> {
    const row = this.sql(`SELECT payload FROM intake WHERE channel = ? AND source_id = ? AND payload != ''`).get(
      channel,
      sourceId,
    ) as { payload: string } | undefined;
    return row?.payload;
  }
}
