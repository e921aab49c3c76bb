import type { ChannelKey } from '../domain/channels';
import type { ClassificationResult, ComplaintInput, HistoryEntry, Ticket, TicketStatus } from '../domain/complaint';
import type { FollowUpPlan } from '../domain/follow-up-plan';
import type { PrivacyRecords } from './privacy-records';
import type { SurveyStorage } from './survey-storage';
import type { CitizenStore } from './citizen-records';

/**
 * Everything aduan keeps: tickets, side-effect records (the basis of exactly-once), channel cursors
 * and quarantined records. One contract suite (tests/integration/store-contract) runs against every
 * implementation.
 */

/** What the intake stage decides before the ticket exists; the store adds id and ticket number. */
export type NewTicket = Omit<Ticket, 'id' | 'ticketNumber' | 'createdAt'>;

export interface InsertResult {
  ticket: Ticket;
  /** False when the same channel + source id was already stored: nothing new was created. */
  created: boolean;
  /**
   * True when nothing was inserted because the message's thread already has an open ticket (a
   * concurrent message of the same conversation created it first): `ticket` is that ticket.
   */
  joinedConversation?: boolean;
}

/**
 * A status change that comes with a history entry: applied only when the life rules allow it from the
 * ticket's status at the time of the write (src/domain/ticket-life STATUS_TRANSITIONS); `dueAt` moves
 * with it (a wait that ends, a reopening), never on its own.
 */
export interface StatusChange {
  status: TicketStatus;
  dueAt?: string;
}

/** Effect keys are `<ticketId>:<kind>`; the kind of the first effects every ticket needs. */
export function effectKey(ticketId: string, kind: string): string {
  return `${ticketId}:${kind}`;
}

/** The message-ref under which a conversation/thread id points at its newest ticket. */
export function threadRef(threadId: string): string {
  return `thread:${threadId}`;
}

/**
 * What beginEffect found: `new` (first attempt), `retry` (an earlier attempt failed before sending),
 * `in-doubt` (an earlier attempt started, never finished, and its lease ran out: a crash), `busy` (an
 * attempt started within the lease may still be sending: do not start another), `done`.
 */
export type EffectState = 'new' | 'retry' | 'in-doubt' | 'busy' | 'done';

export interface EffectRecord {
  key: string;
  ticketId: string;
  kind: string;
  state: 'started' | 'released' | 'done';
  attempts: number;
  /** When the attempt started, or last renewed its lease (renewEffect) while still sending. */
  startedAt: string;
  doneAt?: string;
  detail?: string;
}

/** `dead`: its job was dead-lettered; the reconciler leaves it alone until `dlq replay` revives it. */
export type IntakeState = 'new' | 'pending' | 'done' | 'dead';

/** Where a page of pending intake entries ended: the next page starts after it. */
export interface IntakePosition {
  acceptedAt: string;
  channel: ChannelKey;
  sourceId: string;
}

export interface PendingIntake extends IntakePosition {
  payload: string;
}

export interface SlaCandidate {
  ticketId: string;
  receivedAt: string;
  /** When it reached the office, if later than `receivedAt` (a LAPOR! report's disposition). */
  arrivedAt?: string;
  dueAt: string;
  reminded: boolean;
  /** Set after a reopening: the SLA period (`slaPeriod`) and when it began; `reminded` is of this period. */
  period?: number;
  periodStart?: string;
}

export interface QuarantineRecord {
  id: string;
  channel: string;
  sourceId?: string;
  reason: string;
  payload: string;
  at: string;
}

/** What `quarantine` did: `repeated` when the same record (channel, source id, payload) was already there. */
export type QuarantineResult = QuarantineRecord & { repeated?: true };

/**
 * Mail (or any channel's message) a machine sent, not a citizen: an out-of-office, a newsletter, a bounce,
 * a forged mail claiming our own address. Never a ticket; kept so admins can see what was left out.
 */
export interface NoiseRecord {
  id: string;
  channel: string;
  /** Where it was read: `account/mailbox` for IMAP, a folder for .eml files. */
  mailbox: string;
  /** Message-ID (or the channel's stand-in): with channel and mailbox, what makes it the same message. */
  sourceId: string;
  /** auto-reply | bulk | list | delivery-report | forged-own-address | robot. */
  kind: string;
  /** Why, in Bahasa Indonesia (shown to staff). */
  reason: string;
  sender?: string;
  subject?: string;
  /** Size of the raw message in bytes. */
  size: number;
  /** The ticket it was noted on, when it concerned one. */
  ticketNumber?: string;
  at: string;
}

/** What `recordNoise` did: `repeated` when the same message was recorded before (nothing written). */
export type NoiseResult = NoiseRecord & { repeated?: true };

export interface TicketQuery {
  from?: string;
  to?: string;
  status?: TicketStatus;
  limit?: number;
}

/**
 * The personal-data lifecycle methods are declared in ./privacy-records and the survey's records in
 * ./survey-storage, citizen records in ./citizen-records (one concept, one module); every store has them.
 */
export interface Store extends PrivacyRecords, SurveyStorage, CitizenStore {
  init(): Promise<void>;
  close(): Promise<void>;
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;

  /**
   * Inserts the ticket unless (channel, sourceId) exists; allocates the next ticket number of the
   * year atomically. Also indexes the source id (and thread) for threading, and marks the message's
   * intake-inbox entry done in the same write. A message whose thread has an open ticket joins it
   * instead (checked in the same atomic step, so two messages of one conversation never race into
   * two tickets).
   */
  insertTicket(ticket: NewTicket, year: number): Promise<InsertResult>;
  getTicket(id: string): Promise<Ticket | undefined>;
  getTicketByNumber(ticketNumber: string): Promise<Ticket | undefined>;
  findBySource(channel: ChannelKey, sourceId: string): Promise<Ticket | undefined>;
  /** The ticket that a message with these ids belongs to (a known source id of the same channel). */
  findByMessageRefs(channel: ChannelKey, refs: string[]): Promise<Ticket | undefined>;
  /** Remembers that a follow-up message belongs to a ticket; false if it was already recorded. */
  addMessageRef(ticketId: string, channel: ChannelKey, ref: string): Promise<boolean>;
  /**
   * Records a follow-up message on its ticket once: false (and nothing written) when this message
   * was already attached. `change` (a reopening, the end of a wait) is applied in the same write, so a
   * retried message never changes the ticket twice.
   */
  attachFollowUp(
    ticketId: string,
    channel: ChannelKey,
    ref: string,
    entry: HistoryEntry,
    change?: StatusChange,
  ): Promise<boolean>;
  /** Appends to the history; `status` is applied only if the life rules allow it (see StatusChange). */
  appendHistory(ticketId: string, entry: HistoryEntry, status?: TicketStatus): Promise<void>;
  updateTeam(ticketId: string, team: string): Promise<void>;
  listTickets(query: TicketQuery): Promise<Ticket[]>;

  /**
   * Starts an attempt at a side effect, as a lease of `leaseMs`, unless it is done or another attempt
   * holds the lease (`busy`: nothing changes). See EffectState.
   */
  beginEffect(key: string, ticketId: string, kind: string, leaseMs: number): Promise<EffectState>;
  /** The attempt failed before anything was sent: the next one may start at once. */
  releaseEffect(key: string): Promise<void>;
  /** Marks the effect done and, in the same write, records the ticket history entry. */
  completeEffect(key: string, detail: string, history?: { entry: HistoryEntry; status?: TicketStatus }): Promise<void>;
  getEffect(key: string): Promise<EffectRecord | undefined>;
  listEffects(ticketId: string): Promise<EffectRecord[]>;

  /**
   * The durable inbox: a complaint is written here before it is queued, so losing Redis never loses
   * a complaint. Says whether the message is `new` here, or was accepted before and is still `pending`
   * or already `done` (the first payload is kept).
   */
  acceptIntake(channel: ChannelKey, sourceId: string, payload: string): Promise<IntakeState>;
  markIntakeDone(channel: ChannelKey, sourceId: string): Promise<void>;
  /**
   * Accepted complaints not yet turned into a ticket (or quarantined) since before `olderThan`, oldest
   * first; `after`: the next page, after the last entry of the previous one.
   */
  listPendingIntake(olderThan: string, limit: number, after?: IntakePosition): Promise<PendingIntake[]>;
  /**
   * Tickets not resolved, created before `olderThan` (and, if given, not before `newerThan`), lacking a
   * done effect of one of `kinds`.
   */
  listTicketsMissingEffects(
    kinds: string[],
    olderThan: string,
    limit: number,
    newerThan?: string,
  ): Promise<Array<{ ticketId: string; missing: string[] }>>;
  /**
   * Open tickets created since `since` whose team has them (`route` done) and whose escalation is not
   * done, soonest due first: what the SLA sweep looks at. `reminded`: the reminder is done. Both are of the
   * ticket's current SLA period (a reopened ticket's `remind@n`/`escalate@n`, see `slaEffectKind`).
   */
  listSlaCandidates(since: string, limit: number): Promise<SlaCandidate[]>;
  /**
   * Tickets of `channel` created since `since` that are not closed (neither `resolved` nor `forwarded`),
   * oldest first: the SP4N-LAPOR! reports whose own clock the SLA sweep watches.
   */
  listOpenTicketsOfChannel(channel: ChannelKey, since: string, limit: number): Promise<Ticket[]>;

  getCursor(key: string): Promise<string | undefined>;
  setCursor(key: string, value: string): Promise<void>;
  /** Removes the cursors `<prefix>:…` last written before `before` (ISO time); returns how many. */
  deleteCursorsBefore(prefix: string, before: string): Promise<number>;

  /**
   * Records a bad record once per (channel, source id, payload hash): a poller that meets the same bad
   * record on every pass gets the first record back, marked `repeated`, and nothing is written.
   */
  quarantine(record: Omit<QuarantineRecord, 'id' | 'at'>): Promise<QuarantineResult>;
  listQuarantine(limit?: number): Promise<QuarantineRecord[]>;

  /** Counts for reports and metrics. */
  countTickets(): Promise<number>;

  /**
   * The job of a still pending entry was dead-lettered: the entry becomes `dead` (an entry already done
   * stays done), so the reconciler stops re-running it. `dlq replay` calls reviveIntake.
   */
  markIntakeDead(channel: ChannelKey, sourceId: string): Promise<void>;
  /** A dead entry is pending again (its job is being replayed). */
  reviveIntake(channel: ChannelKey, sourceId: string): Promise<void>;
  /** Dead entries, newest first: what `dlq list` shows even when Redis lost the dead-letter queue. */
  listDeadIntake(limit: number): Promise<IntakePosition[]>;
  /**
   * Heartbeat of an attempt still sending: its lease counts from now. False when the record is no
   * longer `started` (the attempt lost it), so the caller knows it is not fenced any more.
   */
  renewEffect(key: string): Promise<boolean>;
  /** Records automated mail once per (channel, mailbox, source id); a second call returns the first, `repeated`. */
  recordNoise(record: Omit<NoiseRecord, 'id' | 'at'> & { at?: string }): Promise<NoiseResult>;
  /** Newest first. */
  listNoise(limit?: number): Promise<NoiseRecord[]>;
  /** Recorded noise per channel and kind, for /metrics. */
  countNoise(): Promise<Array<{ channel: string; kind: string; count: number }>>;
  /**
   * Chat messages with nothing to classify yet (a greeting, a sticker, a menu tap), kept until content
   * follows: false (nothing written) when this (channel, source id) was held before.
   */
  holdChatMessage(message: HeldChatMessage): Promise<boolean>;
  /** Whether this message was held (and possibly merged into a ticket since). */
  isChatMessageHeld(channel: ChannelKey, sourceId: string): Promise<boolean>;
  /** The conversation's held messages not yet merged into a ticket, oldest first. */
  heldChatMessages(channel: ChannelKey, threadId: string): Promise<HeldChatMessage[]>;
  /** The held messages became part of the complaint `intoSourceId`. */
  markHeldChatMerged(channel: ChannelKey, threadId: string, intoSourceId: string): Promise<void>;
  /** A follow-up gave an `other` or low-confidence ticket something to classify. */
  updateClassification(ticketId: string, classification: ClassificationResult): Promise<void>;
  /** The historical tickets one import created, and the earliest and latest source time among them. */
  historicalImportTally(importId: string): Promise<HistoricalImportTally>;
  /**
   * Writes the follow-up plan of a recap month's problem (`aduan evaluation note`): one per (period,
   * problem), a later write replacing the earlier one. Returns what is stored.
   */
  saveFollowUpPlan(plan: FollowUpPlan): Promise<FollowUpPlan>;
  /** The plans of months up to `toPeriod` (YYYY-MM, inclusive), by period then problem. */
  listFollowUpPlans(toPeriod: string): Promise<FollowUpPlan[]>;
}

export interface HeldChatMessage {
  channel: ChannelKey;
  sourceId: string;
  threadId: string;
  receivedAt: string;
  /** The normalized complaint record (JSON). */
  payload: string;
}

export interface HistoricalImportTally {
  count: number;
  first?: string;
  last?: string;
}

export type { ComplaintInput };
