import type { Collection, Db, MongoClient } from 'mongodb';
import type { ChannelKey } from '../domain/channels';
import type { HistoryEntry, Ticket, TicketStatus } from '../domain/complaint';
import { formatTicketNumber } from '../domain/ticket-number';
import { quarantineKey } from './quarantine-key';
import {
  effectKey,
  STATUS_ORDER,
  threadRef,
  type EffectRecord,
  type EffectState,
  type HistoricalImportTally,
  type InsertResult,
  type NewTicket,
  type IntakeState,
  type QuarantineRecord,
  type QuarantineResult,
  type SlaCandidate,
  type Store,
  type TicketQuery,
} from './store';
import { timeOrderedId } from './time-ordered-id';

type TicketDoc = Ticket & { _id: string };
type EffectDoc = EffectRecord & { _id: string };

/** Tickets whose done effects are read in one query. */
const DONE_KINDS_PAGE = 200;

const DUPLICATE_KEY = 11000;

/** MongoDB store through the official driver; the unique indexes carry the exactly-once guarantees. */
export class MongoStore implements Store {
  private driver!: typeof import('mongodb');
  private client: MongoClient | undefined;
  private db!: Db;

  constructor(
    private readonly url: string,
    private readonly database: string,
  ) {}

  private isDuplicateKey(error: unknown): boolean {
    return error instanceof this.driver.MongoServerError && error.code === DUPLICATE_KEY;
  }

  private get tickets(): Collection<TicketDoc> {
    return this.db.collection<TicketDoc>('tickets');
  }
  private get effects(): Collection<EffectDoc> {
    return this.db.collection<EffectDoc>('effects');
  }
  private get refs() {
    return this.db.collection<{ channel: string; ref: string; ticketId: string }>('message_refs');
  }
  private get counters() {
    return this.db.collection<{ _id: number; value: number }>('counters');
  }
  private get cursors() {
    return this.db.collection<{ _id: string; value: string; updatedAt: string }>('cursors');
  }
  private get intake() {
    return this.db.collection<{
      _id: string;
      channel: ChannelKey;
      sourceId: string;
      payload: string;
      state: string;
      acceptedAt: string;
    }>('intake');
  }
  private get quarantined() {
    return this.db.collection<QuarantineRecord & { _id: string; dedupeKey?: string }>('quarantine');
  }

  async init(): Promise<void> {
    // The driver is loaded only when MongoDB is configured: it adds ~6 MB of heap to every process otherwise.
    this.driver ??= await import('mongodb');
    this.client ??= new this.driver.MongoClient(this.url, { serverSelectionTimeoutMS: 5000 });
    await this.client.connect();
    this.db = this.client.db(this.database);
    await this.tickets.createIndexes([
      { key: { channel: 1, sourceId: 1 }, unique: true, name: 'channel_source_unique' },
      { key: { ticketNumber: 1 }, unique: true, name: 'ticket_number_unique' },
      { key: { status: 1, dueAt: 1 }, name: 'status_due' },
      { key: { receivedAt: 1 }, name: 'received' },
      { key: { createdAt: 1 }, name: 'created' },
    ]);
    await this.refs.createIndex({ channel: 1, ref: 1 }, { unique: true, name: 'channel_ref_unique' });
    await this.effects.createIndex({ ticketId: 1 }, { name: 'ticket' });
    await this.intake.createIndex({ state: 1, acceptedAt: 1 }, { name: 'pending' });
    // Records from before deduplication have no key: the partial index leaves them alone.
    await this.quarantined.createIndex(
      { dedupeKey: 1 },
      { unique: true, name: 'dedupe_unique', partialFilterExpression: { dedupeKey: { $type: 'string' } } },
    );
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async insertTicket(ticket: NewTicket, year: number): Promise<InsertResult> {
    const existing = await this.findBySource(ticket.channel, ticket.sourceId);
    if (existing) return { ticket: existing, created: false };
    if (ticket.threadId) {
      // Without a replica-set transaction this check and the insert are two steps; SQLite does both at once.
      const open = await this.findByMessageRefs(ticket.channel, [threadRef(ticket.threadId)]);
      if (open && open.status !== 'resolved') return { ticket: open, created: false, joinedConversation: true };
    }
    const counter = await this.counters.findOneAndUpdate(
      { _id: year },
      { $inc: { value: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    const full: Ticket = {
      ...ticket,
      id: timeOrderedId(),
      ticketNumber: formatTicketNumber(year, counter!.value),
      createdAt: new Date().toISOString(),
    };
    try {
      await this.tickets.insertOne({ ...full, _id: full.id });
    } catch (error) {
      // A concurrent intake of the same message won the race: that ticket is the one.
      if (this.isDuplicateKey(error)) {
        const winner = await this.findBySource(ticket.channel, ticket.sourceId);
        if (winner) return { ticket: winner, created: false };
      }
      throw error;
    }
    await this.addMessageRef(full.id, full.channel, full.sourceId);
    await this.markIntakeDone(full.channel, full.sourceId);
    if (full.threadId)
      await this.refs.updateOne(
        { channel: full.channel, ref: threadRef(full.threadId) },
        { $set: { ticketId: full.id } },
        { upsert: true },
      );
    return { ticket: full, created: true };
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    return strip(await this.tickets.findOne({ _id: id }));
  }

  async getTicketByNumber(ticketNumber: string): Promise<Ticket | undefined> {
    return strip(await this.tickets.findOne({ ticketNumber: ticketNumber.toUpperCase() }));
  }

  async findBySource(channel: ChannelKey, sourceId: string): Promise<Ticket | undefined> {
    return strip(await this.tickets.findOne({ channel, sourceId }));
  }

  async findByMessageRefs(channel: ChannelKey, refs: string[]): Promise<Ticket | undefined> {
    if (refs.length === 0) return undefined;
    const found = await this.refs.find({ channel, ref: { $in: refs } }).toArray();
    if (found.length === 0) return undefined;
    const tickets = await this.tickets
      .find({ _id: { $in: found.map((r) => r.ticketId) } })
      .sort({ createdAt: -1 })
      .limit(1)
      .toArray();
    return strip(tickets[0] ?? null);
  }

  async addMessageRef(ticketId: string, channel: ChannelKey, ref: string): Promise<boolean> {
    try {
      await this.refs.insertOne({ channel, ref, ticketId });
      return true;
    } catch (error) {
      if (this.isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async attachFollowUp(ticketId: string, channel: ChannelKey, ref: string, entry: HistoryEntry): Promise<boolean> {
    if (!(await this.addMessageRef(ticketId, channel, ref))) return false;
    await this.appendHistory(ticketId, entry);
    return true;
  }

  async appendHistory(ticketId: string, entry: HistoryEntry, status?: TicketStatus): Promise<void> {
    const result = await this.tickets.updateOne({ _id: ticketId }, { $push: { history: entry } });
    if (result.matchedCount !== 1) throw new Error(`ticket ${ticketId} not found`);
    if (status) {
      const earlier = STATUS_ORDER.slice(0, STATUS_ORDER.indexOf(status));
      await this.tickets.updateOne({ _id: ticketId, status: { $in: [...earlier] } }, { $set: { status } });
    }
  }

  async updateTeam(ticketId: string, team: string): Promise<void> {
    await this.tickets.updateOne({ _id: ticketId }, { $set: { team } });
  }

  async listTickets(query: TicketQuery): Promise<Ticket[]> {
    const filter: Record<string, unknown> = {};
    if (query.from || query.to)
      filter.receivedAt = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    if (query.status) filter.status = query.status;
    const cursor = this.tickets.find(filter).sort({ ticketNumber: 1 });
    if (query.limit) cursor.limit(query.limit);
    return (await cursor.toArray()).map((doc) => strip(doc)!);
  }

  async beginEffect(key: string, ticketId: string, kind: string, leaseMs: number): Promise<EffectState> {
    const now = Date.now();
    const cutoff = new Date(now - leaseMs).toISOString();
    try {
      const before = await this.effects.findOneAndUpdate(
        { _id: key, $or: [{ state: 'released' }, { state: 'started', startedAt: { $lt: cutoff } }] },
        {
          $inc: { attempts: 1 },
          $set: { state: 'started', startedAt: new Date(now).toISOString() },
          $setOnInsert: { key, ticketId, kind },
        },
        { upsert: true, returnDocument: 'before' },
      );
      if (!before) return 'new';
      return before.state === 'released' ? 'retry' : 'in-doubt';
    } catch (error) {
      // The record exists but did not match: it is done, or another attempt holds the lease.
      if (!this.isDuplicateKey(error)) throw error;
      const current = await this.effects.findOne({ _id: key });
      return current?.state === 'done' ? 'done' : 'busy';
    }
  }

  async releaseEffect(key: string): Promise<void> {
    await this.effects.updateOne({ _id: key, state: 'started' }, { $set: { state: 'released' } });
  }

  async completeEffect(
    key: string,
    detail: string,
    history?: { entry: HistoryEntry; status?: TicketStatus },
  ): Promise<void> {
    const before = await this.effects.findOneAndUpdate(
      { _id: key, state: { $ne: 'done' } },
      { $set: { state: 'done', doneAt: new Date().toISOString(), detail } },
      { returnDocument: 'before' },
    );
    if (!before) {
      if (await this.effects.findOne({ _id: key })) return;
      throw new Error(`effect ${key} was never begun`);
    }
    // Not one transaction (that needs a replica set): the history write is idempotent enough to
    // repeat, and the effect itself is already marked done so nothing is sent twice.
    if (history) await this.appendHistory(before.ticketId, history.entry, history.status);
  }

  async getEffect(key: string): Promise<EffectRecord | undefined> {
    const { _id, ...rest } = (await this.effects.findOne({ _id: key })) ?? ({} as EffectDoc);
    return _id ? rest : undefined;
  }

  async listEffects(ticketId: string): Promise<EffectRecord[]> {
    const docs = await this.effects.find({ ticketId }).sort({ startedAt: 1 }).toArray();
    return docs.map(({ _id, ...rest }) => rest);
  }

  async acceptIntake(channel: ChannelKey, sourceId: string, payload: string): Promise<IntakeState> {
    const before = await this.intake.findOneAndUpdate(
      { _id: `${channel}\u0000${sourceId}` },
      { $setOnInsert: { channel, sourceId, payload, state: 'pending', acceptedAt: new Date().toISOString() } },
      { upsert: true, returnDocument: 'before', projection: { state: 1 } },
    );
    return before ? (before.state as 'pending' | 'done') : 'new';
  }

  async markIntakeDone(channel: ChannelKey, sourceId: string): Promise<void> {
    await this.intake.updateOne({ _id: `${channel}\u0000${sourceId}` }, { $set: { state: 'done', payload: '' } });
  }

  async listPendingIntake(olderThan: string, limit: number) {
    const docs = await this.intake
      .find({ state: 'pending', acceptedAt: { $lt: olderThan } })
      .sort({ acceptedAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ channel: d.channel, sourceId: d.sourceId, payload: d.payload }));
  }

  async listTicketsMissingEffects(kinds: string[], olderThan: string, limit: number, newerThan = '') {
    const out: Array<{ ticketId: string; missing: string[] }> = [];
    const open = this.tickets.find(
      { status: { $ne: 'resolved' }, createdAt: { $lt: olderThan, $gte: newerThan } },
      { projection: { _id: 1 } },
    );
    for await (const { ticket, done } of this.withDoneKinds(open, kinds)) {
      const missing = kinds.filter((k) => !done.has(k));
      if (missing.length) out.push({ ticketId: ticket._id, missing });
      if (out.length >= limit) break;
    }
    return out;
  }

  async listSlaCandidates(since: string, limit: number): Promise<SlaCandidate[]> {
    const out: SlaCandidate[] = [];
    const open = this.tickets
      .find(
        { status: { $ne: 'resolved' }, createdAt: { $gte: since } },
        { projection: { _id: 1, receivedAt: 1, dueAt: 1 } },
      )
      .sort({ dueAt: 1 });
    for await (const { ticket, done } of this.withDoneKinds(open, ['route', 'remind', 'escalate'])) {
      if (!done.has('route') || done.has('escalate')) continue;
      out.push({
        ticketId: ticket._id,
        receivedAt: ticket.receivedAt,
        dueAt: ticket.dueAt,
        reminded: done.has('remind'),
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Each ticket with its done effects among `kinds`, read a page of tickets at a time: one query per page, not per ticket. */
  private async *withDoneKinds<T extends { _id: string }>(
    tickets: AsyncIterable<T>,
    kinds: string[],
  ): AsyncGenerator<{ ticket: T; done: Set<string> }> {
    let page: T[] = [];
    for await (const ticket of tickets) {
      if (page.push(ticket) < DONE_KINDS_PAGE) continue;
      yield* await this.doneKindsOf(page, kinds);
      page = [];
    }
    if (page.length) yield* await this.doneKindsOf(page, kinds);
  }

  private async doneKindsOf<T extends { _id: string }>(
    page: T[],
    kinds: string[],
  ): Promise<Array<{ ticket: T; done: Set<string> }>> {
    // Effect ids are `<ticket id>:<kind>`: lookups by _id.
    const keys = page.flatMap((ticket) => kinds.map((kind) => effectKey(ticket._id, kind)));
    const done = new Map(page.map((ticket) => [ticket._id, new Set<string>()]));
    for (const effect of await this.effects
      .find({ _id: { $in: keys }, state: 'done' }, { projection: { ticketId: 1, kind: 1 } })
      .toArray())
      done.get(effect.ticketId)?.add(effect.kind);
    return page.map((ticket) => ({ ticket, done: done.get(ticket._id)! }));
  }

  async getCursor(key: string): Promise<string | undefined> {
    return (await this.cursors.findOne({ _id: key }))?.value;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await this.cursors.updateOne(
      { _id: key },
      { $set: { value, updatedAt: new Date().toISOString() } },
      { upsert: true },
    );
  }

  async deleteCursorsBefore(prefix: string, before: string): Promise<number> {
    const range = { $gte: `${prefix}:`, $lt: `${prefix};` };
    const found = await this.cursors.deleteMany({ _id: range, updatedAt: { $lt: before } });
    return found.deletedCount;
  }

  async quarantine(record: Omit<QuarantineRecord, 'id' | 'at'>): Promise<QuarantineResult> {
    const full: QuarantineRecord = { ...record, id: timeOrderedId(), at: new Date().toISOString() };
    const dedupeKey = quarantineKey(full);
    // An upsert on the unique key: of two concurrent attempts one inserts, the other finds it.
    const found = await this.quarantined
      .findOneAndUpdate(
        { dedupeKey },
        { $setOnInsert: { ...full, _id: full.id, dedupeKey } },
        { upsert: true, returnDocument: 'before', projection: { _id: 0, dedupeKey: 0 } },
      )
      .catch(async (error: unknown) => {
        if (!this.isDuplicateKey(error)) throw error;
        return this.quarantined.findOne({ dedupeKey }, { projection: { _id: 0, dedupeKey: 0 } });
      });
    return found ? { ...found, repeated: true as const } : full;
  }

  async listQuarantine(limit = 100): Promise<QuarantineRecord[]> {
    const docs = await this.quarantined.find({}).sort({ at: -1 }).limit(limit).toArray();
    return docs.map(({ _id, dedupeKey: _dedupeKey, ...rest }) => rest);
  }

  async countTickets(): Promise<number> {
    return this.tickets.countDocuments();
  }

  async historicalImportTally(importId: string): Promise<HistoricalImportTally> {
    const [row] = await this.tickets
      .aggregate<{ count: number; first: string; last: string }>([
        { $match: { historicalImport: importId } },
        { $group: { _id: null, count: { $sum: 1 }, first: { $min: '$receivedAt' }, last: { $max: '$receivedAt' } } },
      ])
      .toArray();
    return row ? { count: row.count, first: row.first, last: row.last } : { count: 0 };
  }
}

function strip(doc: TicketDoc | null): Ticket | undefined {
  if (!doc) return undefined;
  const { _id, ...ticket } = doc;
  return ticket;
}
