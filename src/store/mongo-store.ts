import type { ClientSession, Collection, Db, MongoClient } from 'mongodb';
import type { ChannelKey } from '../domain/channels';
import type { ClassificationResult, HistoryEntry, Ticket, TicketStatus } from '../domain/complaint';
import type { FollowUpPlan } from '../domain/follow-up-plan';
import { formatTicketNumber } from '../domain/ticket-number';
import { slaEffectKind, slaPeriod, slaPeriodStart, statusesBefore } from '../domain/ticket-life';
import { quarantineKey } from './quarantine-key';
import {
  effectKey,
  threadRef,
  type EffectRecord,
  type EffectState,
  type HistoricalImportTally,
  type InsertResult,
  type NewTicket,
  type IntakePosition,
  type IntakeState,
  type PendingIntake,
  type NoiseRecord,
  type NoiseResult,
  type QuarantineRecord,
  type QuarantineResult,
  type SlaCandidate,
  type StatusChange,
  type Store,
  type TicketQuery,
  type HeldChatMessage,
} from './store';
import { timeOrderedId } from './time-ordered-id';
import { MongoPrivacyRecords } from './mongo-privacy';
import type { ContactMatch } from '../domain/data-subject';
import type {
  DataRequest,
  DataRequestStatus,
  PrivacyAuditRecord,
  Restriction,
  UnticketedPurge,
} from './privacy-records';
import { MongoSurveyRecords } from './mongo-survey';
import type { SubmitOutcome, SurveyLink } from './survey-storage';
import type { SurveyResponse } from '../domain/survey-instrument';
import type {
  CitizenAttach,
  CitizenAttachResult,
  CitizenLinkEvent,
  CitizenLinkRequest,
  CitizenRecord,
  CitizenTicket,
} from './citizen-records';
import { MongoCitizens } from './mongo-citizens';

type TicketDoc = Ticket & { _id: string };
type EffectDoc = EffectRecord & { _id: string };

/** Tickets whose done effects are read in one query. */
const DONE_KINDS_PAGE = 200;

const DUPLICATE_KEY = 11000;

/**
 * MongoDB store through the official driver; the unique indexes carry the exactly-once guarantees and
 * every write of more than one step runs in a transaction, so a failover or crash between the steps
 * leaves none of them. Transactions need a replica set (a single-node one is enough): init refuses a
 * standalone server. Type-checked only here (no MongoDB server on the build machines); the contract
 * suite runs against it where MONGODB_URL points at one.
 */
export class MongoStore implements Store {
  private driver!: typeof import('mongodb');
  private client: MongoClient | undefined;
  private db!: Db;
  /** The personal-data lifecycle collections (./mongo-privacy). */
  private readonly privacy = new MongoPrivacyRecords(
    () => this.db,
    () => this.client!,
  );
  /** Citizen records: the same database and transactions, in a module of their own. */
  private readonly citizens = new MongoCitizens(
    () => this.db,
    (work) => this.transaction(work),
  );

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

  private readonly survey = new MongoSurveyRecords(
    () => this.db,
    (work) => this.transaction(work),
    (error) => this.isDuplicateKey(error),
  );

  private get noise() {
    return this.db.collection<NoiseRecord & { _id: string }>('noise');
  }

  private get plans() {
    return this.db.collection<FollowUpPlan & { _id: string }>('follow_up_plans');
  }

  async init(): Promise<void> {
    // The driver is loaded only when MongoDB is configured: it adds ~6 MB of heap to every process otherwise.
    this.driver ??= await import('mongodb');
    this.client ??= new this.driver.MongoClient(this.url, { serverSelectionTimeoutMS: 5000 });
    await this.client.connect();
    this.db = this.client.db(this.database);
    await this.requireReplicaSet();
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
    await this.noise.createIndexes([
      { key: { channel: 1, mailbox: 1, sourceId: 1 }, unique: true, name: 'noise_unique' },
      { key: { at: -1 }, name: 'noise_at' },
    ]);
    await this.plans.createIndex({ period: 1, problem: 1 }, { name: 'period_problem' });
    await this.privacy.init();
    await this.survey.init();
    await this.citizens.createIndexes();
  }

  /** Transactions need a replica set or a sharded cluster: say so at start, not at the first write. */
  private async requireReplicaSet(): Promise<void> {
    const hello = await this.db.admin().command({ hello: 1 });
    if (hello.setName || hello.msg === 'isdbgrid') return;
    throw new Error(
      `the MongoDB server at ${redactUrl(this.url)} is a standalone server; aduan needs a replica set for ` +
        'transactions: start mongod with --replSet rs0 and run rs.initiate() once (a single-node replica set is enough)',
    );
  }

  /** Runs `work` in one transaction; the driver retries it on transient errors (a failover, a write conflict). */
  private transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.client!.withSession((session) => session.withTransaction(() => work(session)));
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async insertTicket(ticket: NewTicket, year: number): Promise<InsertResult> {
    try {
      return await this.transaction((session) => this.insertTicketIn(session, ticket, year));
    } catch (error) {
      // A concurrent intake of the same message won the race: that ticket is the one. A concurrent
      // message of the same conversation that claimed the thread first: this one joins its ticket.
      if (!this.isDuplicateKey(error) && !(error instanceof ThreadTaken)) throw error;
      const winner = await this.findBySource(ticket.channel, ticket.sourceId);
      if (winner) return { ticket: winner, created: false };
      const open = ticket.threadId ? await this.openTicketOfThread(ticket.channel, ticket.threadId) : undefined;
      if (open) return { ticket: open, created: false, joinedConversation: true };
      throw error;
    }
  }

  private async insertTicketIn(session: ClientSession, ticket: NewTicket, year: number): Promise<InsertResult> {
    const existing = strip(
      await this.tickets.findOne({ channel: ticket.channel, sourceId: ticket.sourceId }, { session }),
    );
    if (existing) return { ticket: existing, created: false };
    const id = timeOrderedId();
    if (ticket.threadId) {
      const open = await this.openTicketOfThread(ticket.channel, ticket.threadId, session);
      if (open) return { ticket: open, created: false, joinedConversation: true };
      await this.claimThread(session, ticket.channel, threadRef(ticket.threadId), id);
    }
    const counter = await this.counters.findOneAndUpdate(
      { _id: year },
      { $inc: { value: 1 } },
      { upsert: true, returnDocument: 'after', session },
    );
    const full: Ticket = {
      ...ticket,
      id,
      ticketNumber: formatTicketNumber(year, counter!.value),
      createdAt: new Date().toISOString(),
    };
    await this.tickets.insertOne({ ...full, _id: full.id }, { session });
    await this.refs.updateOne(
      { channel: full.channel, ref: full.sourceId },
      { $setOnInsert: { ticketId: full.id } },
      { upsert: true, session },
    );
    await this.intake.updateOne(
      { _id: intakeId(full.channel, full.sourceId) },
      { $set: { state: 'done', payload: '' } },
      { session },
    );
    return { ticket: full, created: true };
  }

  private async openTicketOfThread(
    channel: ChannelKey,
    threadId: string,
    session?: ClientSession,
  ): Promise<Ticket | undefined> {
    const ref = await this.refs.findOne({ channel, ref: threadRef(threadId) }, { session });
    const ticket = ref ? strip(await this.tickets.findOne({ _id: ref.ticketId }, { session })) : undefined;
    return ticket && ticket.status !== 'resolved' ? ticket : undefined;
  }

  /**
   * The conversation points at its newest ticket. A new thread is claimed by a unique insert; a thread
   * whose ticket is resolved is moved only from that ticket: of two messages racing, one claims, the
   * other fails with a duplicate key and joins the winner's ticket.
   */
  private async claimThread(session: ClientSession, channel: ChannelKey, ref: string, ticketId: string) {
    const current = await this.refs.findOne({ channel, ref }, { session });
    if (!current) {
      await this.refs.insertOne({ channel, ref, ticketId }, { session });
      return;
    }
    const moved = await this.refs.updateOne(
      { channel, ref, ticketId: current.ticketId },
      { $set: { ticketId } },
      { session },
    );
    if (moved.matchedCount !== 1) throw new ThreadTaken(ref);
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

  async attachFollowUp(
    ticketId: string,
    channel: ChannelKey,
    ref: string,
    entry: HistoryEntry,
    change?: StatusChange,
  ): Promise<boolean> {
    return this.transaction(async (session) => {
      const claimed = await this.refs.updateOne(
        { channel, ref },
        { $setOnInsert: { ticketId } },
        { upsert: true, session },
      );
      if (claimed.upsertedCount !== 1) return false;
      await this.appendHistoryIn(ticketId, entry, change?.status, change?.dueAt, session);
      return true;
    });
  }

  appendHistory(ticketId: string, entry: HistoryEntry, status?: TicketStatus): Promise<void> {
    return this.transaction((session) => this.appendHistoryIn(ticketId, entry, status, undefined, session));
  }

  private async appendHistoryIn(
    ticketId: string,
    entry: HistoryEntry,
    status: TicketStatus | undefined,
    dueAt: string | undefined,
    session: ClientSession,
  ): Promise<void> {
    const result = await this.tickets.updateOne({ _id: ticketId }, { $push: { history: entry } }, { session });
    if (result.matchedCount !== 1) throw new Error(`ticket ${ticketId} not found`);
    if (status) {
      // Applied only from a status the life rules allow it from (one conditional update, no read first).
      await this.tickets.updateOne(
        { _id: ticketId, status: { $in: statusesBefore(status, entry.event) } },
        { $set: { status, ...(dueAt ? { dueAt } : {}) } },
        { session },
      );
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
    await this.transaction(async (session) => {
      const before = await this.effects.findOneAndUpdate(
        { _id: key, state: { $ne: 'done' } },
        { $set: { state: 'done', doneAt: new Date().toISOString(), detail } },
        { returnDocument: 'before', session },
      );
      if (!before) {
        if (await this.effects.findOne({ _id: key }, { session })) return;
        throw new Error(`effect ${key} was never begun`);
      }
      if (history) await this.appendHistoryIn(before.ticketId, history.entry, history.status, undefined, session);
    });
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
      { _id: intakeId(channel, sourceId) },
      { $setOnInsert: { channel, sourceId, payload, state: 'pending', acceptedAt: new Date().toISOString() } },
      { upsert: true, returnDocument: 'before', projection: { state: 1 } },
    );
    return before ? (before.state as 'pending' | 'done' | 'dead') : 'new';
  }

  async markIntakeDone(channel: ChannelKey, sourceId: string): Promise<void> {
    await this.intake.updateOne({ _id: intakeId(channel, sourceId) }, { $set: { state: 'done', payload: '' } });
  }

  async listPendingIntake(olderThan: string, limit: number, after?: IntakePosition): Promise<PendingIntake[]> {
    const position = after
      ? {
          $or: [
            { acceptedAt: { $gt: after.acceptedAt } },
            { acceptedAt: after.acceptedAt, channel: { $gt: after.channel } },
            { acceptedAt: after.acceptedAt, channel: after.channel, sourceId: { $gt: after.sourceId } },
          ],
        }
      : {};
    const docs = await this.intake
      .find({ state: 'pending', acceptedAt: { $lt: olderThan }, ...position })
      .sort({ acceptedAt: 1, channel: 1, sourceId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({
      acceptedAt: d.acceptedAt,
      channel: d.channel,
      sourceId: d.sourceId,
      payload: d.payload,
    }));
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

  async listOpenTicketsOfChannel(channel: ChannelKey, since: string, limit: number): Promise<Ticket[]> {
    const docs = await this.tickets
      .find({ channel, status: { $nin: ['resolved', 'forwarded'] }, createdAt: { $gte: since } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => strip(doc)!);
  }

  async listSlaCandidates(since: string, limit: number): Promise<SlaCandidate[]> {
    const out: SlaCandidate[] = [];
    const open = this.tickets
      .find(
        { status: { $nin: ['resolved', 'waiting-citizen'] }, createdAt: { $gte: since } },
        { projection: { _id: 1, receivedAt: 1, arrivedAt: 1, dueAt: 1, history: 1 } },
      )
      .sort({ dueAt: 1 });
    // A reopened ticket's reminder and escalation are keyed per period (`slaEffectKind`).
    const kindsOf = (ticket: { history: HistoryEntry[] }) => {
      const period = slaPeriod(ticket.history);
      return ['route', slaEffectKind('remind', period), slaEffectKind('escalate', period)];
    };
    for await (const { ticket, done } of this.withDoneKinds(open, kindsOf)) {
      const [, remind, escalate] = kindsOf(ticket);
      if (!done.has('route') || done.has(escalate!)) continue;
      const period = slaPeriod(ticket.history);
      out.push({
        ticketId: ticket._id,
        receivedAt: ticket.receivedAt,
        ...(ticket.arrivedAt ? { arrivedAt: ticket.arrivedAt } : {}),
        dueAt: ticket.dueAt,
        reminded: done.has(remind!),
        ...(period > 0 ? { period, periodStart: slaPeriodStart(ticket.history, ticket.receivedAt) } : {}),
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Each ticket with its done effects among `kinds`, read a page of tickets at a time: one query per page, not per ticket. */
  private async *withDoneKinds<T extends { _id: string }>(
    tickets: AsyncIterable<T>,
    kinds: string[] | ((ticket: T) => string[]),
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
    kinds: string[] | ((ticket: T) => string[]),
  ): Promise<Array<{ ticket: T; done: Set<string> }>> {
    // Effect ids are `<ticket id>:<kind>`: lookups by _id.
    const kindsOf = typeof kinds === 'function' ? kinds : () => kinds;
    const keys = page.flatMap((ticket) => kindsOf(ticket).map((kind) => effectKey(ticket._id, kind)));
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

  async markIntakeDead(channel: ChannelKey, sourceId: string): Promise<void> {
    await this.intake.updateOne({ _id: intakeId(channel, sourceId), state: 'pending' }, { $set: { state: 'dead' } });
  }

  async reviveIntake(channel: ChannelKey, sourceId: string): Promise<void> {
    await this.intake.updateOne({ _id: intakeId(channel, sourceId), state: 'dead' }, { $set: { state: 'pending' } });
  }

  async listDeadIntake(limit: number): Promise<IntakePosition[]> {
    const docs = await this.intake.find({ state: 'dead' }).sort({ acceptedAt: -1 }).limit(limit).toArray();
    return docs.map((d) => ({ acceptedAt: d.acceptedAt, channel: d.channel, sourceId: d.sourceId }));
  }

  async renewEffect(key: string): Promise<boolean> {
    const renewed = await this.effects.updateOne(
      { _id: key, state: 'started' },
      { $set: { startedAt: new Date().toISOString() } },
    );
    return renewed.matchedCount === 1;
  }

  async recordNoise(record: Omit<NoiseRecord, 'id' | 'at'> & { at?: string }): Promise<NoiseResult> {
    const full: NoiseRecord = { ...record, id: timeOrderedId(), at: record.at ?? new Date().toISOString() };
    const key = { channel: full.channel, mailbox: full.mailbox, sourceId: full.sourceId };
    // An upsert on the unique key: of two concurrent attempts one inserts, the other finds it.
    const found = await this.noise
      .findOneAndUpdate(
        key,
        { $setOnInsert: { ...full, _id: full.id } },
        { upsert: true, returnDocument: 'before', projection: { _id: 0 } },
      )
      .catch(async (error: unknown) => {
        if (!this.isDuplicateKey(error)) throw error;
        return this.noise.findOne(key, { projection: { _id: 0 } });
      });
    return found ? { ...found, repeated: true as const } : full;
  }

  async listNoise(limit = 100): Promise<NoiseRecord[]> {
    const docs = await this.noise.find({}).sort({ at: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(({ _id, ...rest }) => rest);
  }

  async countNoise(): Promise<Array<{ channel: string; kind: string; count: number }>> {
    const groups = await this.noise
      .aggregate<{ _id: { channel: string; kind: string }; count: number }>([
        { $group: { _id: { channel: '$channel', kind: '$kind' }, count: { $sum: 1 } } },
      ])
      .toArray();
    return groups.map((g) => ({ channel: g._id.channel, kind: g._id.kind, count: g.count }));
  }

  private get heldChat() {
    return this.db.collection<HeldChatMessage & { _id: string; mergedInto?: string }>('held_chat');
  }

  async holdChatMessage(m: HeldChatMessage): Promise<boolean> {
    const result = await this.heldChat.updateOne(
      { _id: `${m.channel}:${m.sourceId}` },
      { $setOnInsert: { ...m } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }

  async isChatMessageHeld(channel: ChannelKey, sourceId: string): Promise<boolean> {
    return (await this.heldChat.countDocuments({ _id: `${channel}:${sourceId}` }, { limit: 1 })) > 0;
  }

  async heldChatMessages(channel: ChannelKey, threadId: string): Promise<HeldChatMessage[]> {
    const docs = await this.heldChat
      .find({ channel, threadId, mergedInto: { $exists: false } })
      .sort({ receivedAt: 1, sourceId: 1 })
      .toArray();
    return docs.map(({ channel: c, sourceId, threadId: t, receivedAt, payload }) => ({
      channel: c,
      sourceId,
      threadId: t,
      receivedAt,
      payload,
    }));
  }

  async markHeldChatMerged(channel: ChannelKey, threadId: string, intoSourceId: string): Promise<void> {
    await this.heldChat.updateMany(
      { channel, threadId, mergedInto: { $exists: false } },
      { $set: { mergedInto: intoSourceId } },
    );
  }

  async updateClassification(ticketId: string, classification: ClassificationResult): Promise<void> {
    await this.tickets.updateOne({ _id: ticketId }, { $set: { classification } });
  }

  findTicketsByContact(match: ContactMatch): Promise<Ticket[]> {
    return this.privacy.findTicketsByContact(match);
  }

  listRetentionCandidates(receivedBefore: string, limit: number, afterId?: string): Promise<Ticket[]> {
    return this.privacy.listRetentionCandidates(receivedBefore, limit, afterId);
  }

  replaceWithAnonymized(anonymized: Ticket): Promise<boolean> {
    return this.privacy.replaceWithAnonymized(anonymized);
  }

  listReferencedFiles(): Promise<string[]> {
    return this.privacy.listReferencedFiles();
  }

  purgeUnticketedBefore(before: string): Promise<UnticketedPurge> {
    return this.privacy.purgeUnticketedBefore(before);
  }

  saveDataRequest(request: DataRequest): Promise<void> {
    return this.privacy.saveDataRequest(request);
  }

  getDataRequest(id: string): Promise<DataRequest | undefined> {
    return this.privacy.getDataRequest(id);
  }

  listDataRequests(status?: DataRequestStatus): Promise<DataRequest[]> {
    return this.privacy.listDataRequests(status);
  }

  setRestriction(subject: string, restriction: Restriction | undefined): Promise<void> {
    return this.privacy.setRestriction(subject, restriction);
  }

  findRestrictions(subjects: string[]): Promise<Restriction[]> {
    return this.privacy.findRestrictions(subjects);
  }

  appendPrivacyAudit(record: Omit<PrivacyAuditRecord, 'id'>): Promise<PrivacyAuditRecord> {
    return this.privacy.appendPrivacyAudit(record);
  }

  listPrivacyAudit(limit?: number): Promise<PrivacyAuditRecord[]> {
    return this.privacy.listPrivacyAudit(limit);
  }

  getIntakePayload(channel: ChannelKey, sourceId: string): Promise<string | undefined> {
    return this.privacy.getIntakePayload(channel, sourceId);
  }

  addSurveyLink(link: Omit<SurveyLink, 'usedAt'>): Promise<void> {
    return this.survey.addLink(link);
  }

  getSurveyLink(tokenHash: string): Promise<SurveyLink | undefined> {
    return this.survey.getLink(tokenHash);
  }

  submitSurvey(response: SurveyResponse, tokenHash?: string): Promise<SubmitOutcome> {
    return this.survey.submit(response, tokenHash);
  }

  getSurveyResponseOfTicket(ticketId: string): Promise<SurveyResponse | undefined> {
    return this.survey.ofTicket(ticketId);
  }

  listSurveyResponses(from: string, to: string): Promise<SurveyResponse[]> {
    return this.survey.between(from, to);
  }

  listResolvedTicketsLacking(kind: string, since: string, limit: number): Promise<Ticket[]> {
    return this.survey.resolvedLacking(kind, since, limit);
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

  async saveFollowUpPlan(plan: FollowUpPlan): Promise<FollowUpPlan> {
    // The _id is the (period, problem) pair: a later write replaces the earlier one.
    const _id = `${plan.period}|${plan.problem}`;
    await this.plans.replaceOne({ _id }, { ...plan }, { upsert: true });
    return { ...plan };
  }

  async listFollowUpPlans(toPeriod: string): Promise<FollowUpPlan[]> {
    const docs = await this.plans
      .find({ period: { $lte: toPeriod } })
      .sort({ period: 1, problem: 1 })
      .toArray();
    return docs.map(({ _id, ...rest }) => rest);
  }

  attachCitizen(input: CitizenAttach): Promise<CitizenAttachResult> {
    return this.citizens.attachCitizen(input);
  }
  getCitizen(id: string): Promise<CitizenRecord | undefined> {
    return this.citizens.getCitizen(id);
  }
  findCitizen(key: string): Promise<CitizenRecord[]> {
    return this.citizens.findCitizen(key);
  }
  citizenOfTicket(ticketId: string): Promise<string | undefined> {
    return this.citizens.citizenOfTicket(ticketId);
  }
  linkedCitizens(id: string): Promise<string[]> {
    return this.citizens.linkedCitizens(id);
  }
  citizenTickets(citizenId: string): Promise<CitizenTicket[]> {
    return this.citizens.citizenTickets(citizenId);
  }
  linkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.citizens.linkCitizens(request);
  }
  unlinkCitizens(request: CitizenLinkRequest): Promise<boolean> {
    return this.citizens.unlinkCitizens(request);
  }
  citizenAudit(id: string): Promise<CitizenLinkEvent[]> {
    return this.citizens.citizenAudit(id);
  }
}

/** Another message of the conversation moved its thread to a new ticket first (the transaction is aborted). */
class ThreadTaken extends Error {
  constructor(ref: string) {
    super(`${ref} was claimed by a concurrent message`);
  }
}

function intakeId(channel: string, sourceId: string): string {
  return `${channel}\u0000${sourceId}`;
}

/** The server's address without a password, for error messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}

function strip(doc: TicketDoc | null): Ticket | undefined {
  if (!doc) return undefined;
  const { _id, ...ticket } = doc;
  return ticket;
}
