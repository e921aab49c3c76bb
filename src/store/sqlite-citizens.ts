import type Database from 'better-sqlite3';
import type {
  CitizenAttach,
  CitizenAttachResult,
  CitizenLinkEvent,
  CitizenLinkRequest,
  CitizenRecord,
  CitizenStore,
  CitizenTicket,
  IdentifierRole,
} from './citizen-records';
import { NIK_LINK, ordered } from './citizen-records';
import { timeOrderedId } from './time-ordered-id';

export const CITIZEN_SCHEMA = `
CREATE TABLE IF NOT EXISTS citizens (id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS citizen_keys (
  citizen_id TEXT NOT NULL, key TEXT NOT NULL, role TEXT NOT NULL, first_seen TEXT NOT NULL,
  PRIMARY KEY (citizen_id, key)
);
CREATE INDEX IF NOT EXISTS citizen_keys_key ON citizen_keys (key);
CREATE UNIQUE INDEX IF NOT EXISTS citizen_primary_key ON citizen_keys (key) WHERE role = 'primary';
CREATE TABLE IF NOT EXISTS citizen_tickets (ticket_id TEXT PRIMARY KEY, citizen_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS citizen_tickets_citizen ON citizen_tickets (citizen_id);
CREATE TABLE IF NOT EXISTS citizen_links (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS citizen_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
  reason TEXT NOT NULL, by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS citizen_audit_a ON citizen_audit (a);
CREATE INDEX IF NOT EXISTS citizen_audit_b ON citizen_audit (b);
`;

/** The citizen part of the SQLite store; runs on the store's connection and group commit. */
export class SqliteCitizens implements CitizenStore {
  constructor(
    private readonly sql: (text: string) => Database.Statement,
    private readonly write: <T>(run: () => T) => Promise<T>,
  ) {}

  attachCitizen(input: CitizenAttach): Promise<CitizenAttachResult> {
    return this.write((): CitizenAttachResult => {
      const attached = this.citizenOfTicketSync(input.ticketId);
      if (attached) return { citizenId: attached, created: false, linkedByNik: [] };
      let citizenId = input.primary
        ? (
            this.sql(`SELECT citizen_id FROM citizen_keys WHERE key = ? AND role = 'primary'`).get(input.primary) as
              { citizen_id: string } | undefined
          )?.citizen_id
        : undefined;
      const created = citizenId === undefined;
      if (citizenId === undefined) {
        citizenId = timeOrderedId();
        this.sql('INSERT INTO citizens (id, created_at) VALUES (?, ?)').run(citizenId, input.at);
        if (input.primary) this.addKey(citizenId, input.primary, 'primary', input.at);
      }
      for (const key of input.contacts) this.addKey(citizenId, key, 'contact', input.at);
      const linkedByNik: string[] = [];
      if (input.nik) {
        const key = `nik:${input.nik}`;
        this.addKey(citizenId, key, 'nik', input.at);
        const others = this.sql('SELECT DISTINCT citizen_id FROM citizen_keys WHERE key = ? AND citizen_id != ?').all(
          key,
          citizenId,
        ) as Array<{ citizen_id: string }>;
        for (const { citizen_id: other } of others) {
          // Staff unlinked them once: the NIK does not link them again.
          if (this.wasUnlinked(citizenId, other)) continue;
          if (this.linkSync({ a: citizenId, b: other, at: input.at, ...NIK_LINK })) linkedByNik.push(other);
        }
      }
      this.sql('INSERT INTO citizen_tickets (ticket_id, citizen_id) VALUES (?, ?)').run(input.ticketId, citizenId);
      return { citizenId, created, linkedByNik };
    });
  }

  async getCitizen(id: string): Promise<CitizenRecord | undefined> {
    const row = this.sql('SELECT id, created_at FROM citizens WHERE id = ?').get(id) as
      { id: string; created_at: string } | undefined;
    if (!row) return undefined;
    const keys = this.sql(
      `SELECT key, role, first_seen FROM citizen_keys WHERE citizen_id = ?
         ORDER BY CASE role WHEN 'primary' THEN 0 WHEN 'contact' THEN 1 ELSE 2 END, first_seen, key`,
    ).all(id) as Array<{ key: string; role: IdentifierRole; first_seen: string }>;
    return {
      id: row.id,
      createdAt: row.created_at,
      identifiers: keys.map((k) => ({ key: k.key, role: k.role, firstSeen: k.first_seen })),
    };
  }

  async findCitizen(key: string): Promise<CitizenRecord[]> {
    const rows = this.sql(
      `SELECT DISTINCT citizen_id FROM citizen_keys WHERE key = ?
         ORDER BY CASE role WHEN 'primary' THEN 0 ELSE 1 END, citizen_id LIMIT 100`,
    ).all(key) as Array<{ citizen_id: string }>;
    const records = await Promise.all(rows.map((r) => this.getCitizen(r.citizen_id)));
    return records.filter((r): r is CitizenRecord => r !== undefined);
  }

  async citizenOfTicket(ticketId: string): Promise<string | undefined> {
    return this.citizenOfTicketSync(ticketId);
  }

  async linkedCitizens(id: string): Promise<string[]> {
    const seen = [id];
    for (let i = 0; i < seen.length; i++) {
      const rows = this.sql(
        'SELECT b AS other FROM citizen_links WHERE a = ? UNION SELECT a FROM citizen_links WHERE b = ?',
      ).all(seen[i], seen[i]) as Array<{ other: string }>;
      for (const { other } of rows) if (!seen.includes(other)) seen.push(other);
    }
    return seen;
  }

  async citizenTickets(citizenId: string): Promise<CitizenTicket[]> {
    const ids = await this.linkedCitizens(citizenId);
    const rows = this.sql(
      `SELECT ct.citizen_id, t.id, t.ticket_number, t.channel, t.status, t.received_at,
              json_extract(t.doc, '$.classification.category') AS category
         FROM citizen_tickets ct JOIN tickets t ON t.id = ct.ticket_id
        WHERE ct.citizen_id IN (SELECT value FROM json_each(?))
        ORDER BY t.received_at DESC, t.ticket_number DESC`,
    ).all(JSON.stringify(ids)) as Array<Record<string, string>>;
    return rows.map((r) => ({
      citizenId: r.citizen_id!,
      ticketId: r.id!,
      ticketNumber: r.ticket_number!,
      channel: r.channel as CitizenTicket['channel'],
      category: r.category as CitizenTicket['category'],
      status: r.status as CitizenTicket['status'],
      receivedAt: r.received_at!,
    }));
  }

  linkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.write(() => {
      this.requireRecords(request);
      return this.linkSync(request);
    });
  }

  unlinkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.write(() => {
      this.requireRecords(request);
      const [a, b] = ordered(request.a, request.b);
      if (this.sql('DELETE FROM citizen_links WHERE a = ? AND b = ?').run(a, b).changes === 0) return false;
      this.audit('unlink', request);
      return true;
    });
  }

  async citizenAudit(id: string): Promise<CitizenLinkEvent[]> {
    return this.sql('SELECT at, action, a, b, reason, by FROM citizen_audit WHERE a = ? OR b = ? ORDER BY seq').all(
      id,
      id,
    ) as CitizenLinkEvent[];
  }

  private citizenOfTicketSync(ticketId: string): string | undefined {
    return (
      this.sql('SELECT citizen_id FROM citizen_tickets WHERE ticket_id = ?').get(ticketId) as
        { citizen_id: string } | undefined
    )?.citizen_id;
  }

  private addKey(citizenId: string, key: string, role: IdentifierRole, at: string): void {
    this.sql('INSERT OR IGNORE INTO citizen_keys (citizen_id, key, role, first_seen) VALUES (?, ?, ?, ?)').run(
      citizenId,
      key,
      role,
      at,
    );
  }

  private linkSync(request: CitizenLinkRequest): boolean {
    if (request.a === request.b) throw new Error('a citizen record cannot be linked to itself');
    const [a, b] = ordered(request.a, request.b);
    const inserted = this.sql('INSERT OR IGNORE INTO citizen_links (a, b) VALUES (?, ?)').run(a, b).changes === 1;
    if (!inserted && !this.confirmsSystemLink(a, b, request)) return false;
    this.audit('link', request);
    return true;
  }

  /** Staff linking a pair the system linked for a matching NIK: recorded, so the pair is vouched for by staff. */
  private confirmsSystemLink(a: string, b: string, request: CitizenLinkRequest): boolean {
    if (request.by === NIK_LINK.by) return false;
    const latest = this.sql('SELECT action, by FROM citizen_audit WHERE a = ? AND b = ? ORDER BY seq DESC LIMIT 1').get(
      a,
      b,
    ) as { action: string; by: string } | undefined;
    return latest?.action === 'link' && latest.by === NIK_LINK.by;
  }

  private wasUnlinked(x: string, y: string): boolean {
    const [a, b] = ordered(x, y);
    return (
      this.sql(`SELECT 1 FROM citizen_audit WHERE action = 'unlink' AND a = ? AND b = ? LIMIT 1`).get(a, b) !==
      undefined
    );
  }

  private audit(action: 'link' | 'unlink', request: CitizenLinkRequest): void {
    const [a, b] = ordered(request.a, request.b);
    this.sql('INSERT INTO citizen_audit (at, action, a, b, reason, by) VALUES (?, ?, ?, ?, ?, ?)').run(
      request.at,
      action,
      a,
      b,
      request.reason,
      request.by,
    );
  }

  private requireRecords(request: CitizenLinkRequest): void {
    for (const id of [request.a, request.b])
      if (!this.sql('SELECT 1 FROM citizens WHERE id = ?').get(id))
        throw new Error(`citizen record ${id} does not exist`);
  }
}
