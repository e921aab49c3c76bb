import type { ClientSession, Db } from 'mongodb';
import type { Ticket } from '../domain/complaint';
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

type KeyDoc = { _id: string; citizenId: string; key: string; role: IdentifierRole; firstSeen: string };
type AuditDoc = CitizenLinkEvent & { _id: string };

const DUPLICATE_KEY = 11000;
const ROLE_ORDER: Record<IdentifierRole, number> = { primary: 0, contact: 1, nik: 2 };

/**
 * The citizen part of the MongoDB store: the partial unique index on primary keys makes two concurrent
 * first messages of one sender one record; every write of more than one step runs in a transaction.
 */
export class MongoCitizens implements CitizenStore {
  constructor(
    private readonly db: () => Db,
    private readonly transaction: <T>(work: (session: ClientSession) => Promise<T>) => Promise<T>,
  ) {}

  private get citizens() {
    return this.db().collection<{ _id: string; createdAt: string }>('citizens');
  }
  private get keys() {
    return this.db().collection<KeyDoc>('citizen_keys');
  }
  private get tickets() {
    return this.db().collection<{ _id: string; citizenId: string }>('citizen_tickets');
  }
  private get links() {
    return this.db().collection<{ _id: string; a: string; b: string }>('citizen_links');
  }
  private get audits() {
    return this.db().collection<AuditDoc>('citizen_audit');
  }

  async createIndexes(): Promise<void> {
    await this.keys.createIndexes([
      { key: { key: 1 }, name: 'key' },
      { key: { citizenId: 1 }, name: 'citizen' },
      {
        key: { key: 1 },
        unique: true,
        name: 'primary_unique',
        partialFilterExpression: { role: 'primary' },
      },
    ]);
    await this.tickets.createIndex({ citizenId: 1 }, { name: 'citizen' });
    await this.links.createIndexes([
      { key: { a: 1 }, name: 'a' },
      { key: { b: 1 }, name: 'b' },
    ]);
    await this.audits.createIndexes([
      { key: { a: 1 }, name: 'a' },
      { key: { b: 1 }, name: 'b' },
    ]);
  }

  async attachCitizen(input: CitizenAttach): Promise<CitizenAttachResult> {
    try {
      return await this.attachOnce(input);
    } catch (error) {
      // A concurrent first message of the same sender made the record first: this one joins it.
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      return this.attachOnce(input);
    }
  }

  private attachOnce(input: CitizenAttach): Promise<CitizenAttachResult> {
    return this.transaction(async (session): Promise<CitizenAttachResult> => {
      const attached = await this.tickets.findOne({ _id: input.ticketId }, { session });
      if (attached) return { citizenId: attached.citizenId, created: false, linkedByNik: [] };
      let citizenId = input.primary
        ? (await this.keys.findOne({ key: input.primary, role: 'primary' }, { session }))?.citizenId
        : undefined;
      const created = citizenId === undefined;
      if (citizenId === undefined) {
        citizenId = timeOrderedId();
        await this.citizens.insertOne({ _id: citizenId, createdAt: input.at }, { session });
        if (input.primary) await this.addKey(session, citizenId, input.primary, 'primary', input.at);
      }
      for (const key of input.contacts) await this.addKey(session, citizenId, key, 'contact', input.at);
      const linkedByNik: string[] = [];
      if (input.nik) {
        const key = `nik:${input.nik}`;
        await this.addKey(session, citizenId, key, 'nik', input.at);
        const others = await this.keys.distinct('citizenId', { key, citizenId: { $ne: citizenId } }, { session });
        for (const other of others) {
          if (await this.wasUnlinked(session, citizenId, other)) continue;
          if (await this.linkIn(session, { a: citizenId, b: other, at: input.at, ...NIK_LINK }))
            linkedByNik.push(other);
        }
      }
      await this.tickets.insertOne({ _id: input.ticketId, citizenId }, { session });
      return { citizenId, created, linkedByNik };
    });
  }

  async getCitizen(id: string): Promise<CitizenRecord | undefined> {
    const doc = await this.citizens.findOne({ _id: id });
    if (!doc) return undefined;
    const keys = await this.keys.find({ citizenId: id }).toArray();
    keys.sort(
      (x, y) =>
        ROLE_ORDER[x.role] - ROLE_ORDER[y.role] || x.firstSeen.localeCompare(y.firstSeen) || x.key.localeCompare(y.key),
    );
    return {
      id,
      createdAt: doc.createdAt,
      identifiers: keys.map((k) => ({ key: k.key, role: k.role, firstSeen: k.firstSeen })),
    };
  }

  async findCitizen(key: string): Promise<CitizenRecord[]> {
    const rows = await this.keys.find({ key }).limit(100).toArray();
    rows.sort((x, y) => ROLE_ORDER[x.role] - ROLE_ORDER[y.role] || x.citizenId.localeCompare(y.citizenId));
    const ids = [...new Set(rows.map((r) => r.citizenId))];
    const records = await Promise.all(ids.map((id) => this.getCitizen(id)));
    return records.filter((r): r is CitizenRecord => r !== undefined);
  }

  async citizenOfTicket(ticketId: string): Promise<string | undefined> {
    return (await this.tickets.findOne({ _id: ticketId }))?.citizenId;
  }

  async linkedCitizens(id: string): Promise<string[]> {
    const seen = [id];
    for (let i = 0; i < seen.length; i++) {
      const rows = await this.links.find({ $or: [{ a: seen[i]! }, { b: seen[i]! }] }).toArray();
      for (const row of rows) {
        const other = row.a === seen[i] ? row.b : row.a;
        if (!seen.includes(other)) seen.push(other);
      }
    }
    return seen;
  }

  async citizenTickets(citizenId: string): Promise<CitizenTicket[]> {
    const ids = await this.linkedCitizens(citizenId);
    const rows = await this.tickets.find({ citizenId: { $in: ids } }).toArray();
    const owner = new Map(rows.map((r) => [r._id, r.citizenId]));
    const tickets = await this.db()
      .collection<Ticket & { _id: string }>('tickets')
      .find({ _id: { $in: rows.map((r) => r._id) } })
      .project<Pick<Ticket, 'id' | 'ticketNumber' | 'channel' | 'status' | 'receivedAt' | 'classification'>>({
        id: 1,
        ticketNumber: 1,
        channel: 1,
        status: 1,
        receivedAt: 1,
        classification: 1,
      })
      .toArray();
    return tickets
      .map((t) => ({
        citizenId: owner.get(t.id)!,
        ticketId: t.id,
        ticketNumber: t.ticketNumber,
        channel: t.channel,
        category: t.classification.category,
        status: t.status,
        receivedAt: t.receivedAt,
      }))
      .sort((x, y) => y.receivedAt.localeCompare(x.receivedAt) || y.ticketNumber.localeCompare(x.ticketNumber));
  }

  linkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.transaction(async (session) => {
      await this.requireRecords(session, request);
      return this.linkIn(session, request);
    });
  }

  unlinkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.transaction(async (session) => {
      await this.requireRecords(session, request);
      const [a, b] = ordered(request.a, request.b);
      const removed = await this.links.deleteOne({ _id: `${a}|${b}` }, { session });
      if (removed.deletedCount === 0) return false;
      await this.audit(session, 'unlink', request);
      return true;
    });
  }

  async citizenAudit(id: string): Promise<CitizenLinkEvent[]> {
    const rows = await this.audits
      .find({ $or: [{ a: id }, { b: id }] })
      .sort({ _id: 1 })
      .toArray();
    return rows.map(({ _id, ...event }) => event);
  }

  private async addKey(session: ClientSession, citizenId: string, key: string, role: IdentifierRole, at: string) {
    await this.keys.updateOne(
      { _id: `${citizenId}|${key}` },
      { $setOnInsert: { citizenId, key, role, firstSeen: at } },
      { upsert: true, session },
    );
  }

  private async linkIn(session: ClientSession, request: CitizenLinkRequest): Promise<boolean> {
    if (request.a === request.b) throw new Error('a citizen record cannot be linked to itself');
    const [a, b] = ordered(request.a, request.b);
    const result = await this.links.updateOne(
      { _id: `${a}|${b}` },
      { $setOnInsert: { a, b } },
      { upsert: true, session },
    );
    if (result.upsertedCount === 0 && !(await this.confirmsSystemLink(session, a, b, request))) return false;
    await this.audit(session, 'link', request);
    return true;
  }

  /** Staff linking a pair the system linked for a matching NIK: recorded, so the pair is vouched for by staff. */
  private async confirmsSystemLink(
    session: ClientSession,
    a: string,
    b: string,
    request: CitizenLinkRequest,
  ): Promise<boolean> {
    if (request.by === NIK_LINK.by) return false;
    const [latest] = await this.audits.find({ a, b }, { session }).sort({ _id: -1 }).limit(1).toArray();
    return latest?.action === 'link' && latest.by === NIK_LINK.by;
  }

  private async wasUnlinked(session: ClientSession, x: string, y: string): Promise<boolean> {
    const [a, b] = ordered(x, y);
    return (await this.audits.findOne({ action: 'unlink', a, b }, { session })) !== null;
  }

  private async audit(session: ClientSession, action: 'link' | 'unlink', request: CitizenLinkRequest) {
    const [a, b] = ordered(request.a, request.b);
    const { at, reason, by } = request;
    await this.audits.insertOne({ _id: timeOrderedId(), at, action, a, b, reason, by }, { session });
  }

  private async requireRecords(session: ClientSession, request: CitizenLinkRequest): Promise<void> {
    for (const id of [request.a, request.b])
      if (!(await this.citizens.findOne({ _id: id }, { session })))
        throw new Error(`citizen record ${id} does not exist`);
  }
}
