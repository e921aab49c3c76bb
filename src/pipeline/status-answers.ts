import { CHANNELS, type ChannelKey } from '../domain/channels';
import { decideStatusAnswer } from '../domain/citizens/status-answer';
import { detectStatusQuestion } from '../domain/citizens/status-question';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import type { Logger } from '../lib/logger';
import { RateWindow } from '../ops/rate-window';
import type { CitizenTicket } from '../store/citizen-records';
import type { Store } from '../store/store';
import type { CitizenDirectory } from './citizen-directory';
import { hashId, type EffectJob } from './queues';

/** Default cap of automatic status answers per sender per hour (citizens.statusAnswersPerHour). */
export const DEFAULT_STATUS_ANSWERS_PER_HOUR = 5;
/**
 * "Tidak ditemukan" answers to everyone together per hour: they go to whatever address wrote (an email From is
 * anyone's to write), so forged senders in bulk must not make the office mail anyone they like.
 */
export const STATUS_NOT_FOUND_PER_HOUR = 60;

/**
 * The effect record of a "not found" answer belongs to no ticket: it is keyed by the message, so a retried or
 * replayed job finds it done.
 */
export function statusNotFoundOwner(channel: ChannelKey, sourceId: string): string {
  return `status-${hashId(channel, sourceId)}`;
}

export type StatusOutcome =
  /** Answered with the status of `ticket` (recorded on it) — or recorded without an answer past the hourly cap. */
  | { kind: 'answer'; ticket: Ticket; limited: boolean }
  /** "Tidak ditemukan untuk akun ini" (nothing recorded on any ticket) — or nothing past the hourly cap. */
  | { kind: 'not-found'; limited: boolean };

/**
 * "Sudah sampai mana?" taken out of intake before a message becomes a new ticket or a follow-up (as the survey's
 * "Balas 1–4" is): a status question about one of the sender's own tickets is recorded on it and answered by the
 * `status` effect; one about a number the sender does not own gets the same polite "not found" (`status-not-found`)
 * whether the number exists or not. The sender's tickets are those of their own record (the identifier they write
 * from) and records staff linked to it (not the system's NIK links); a configured shared identifier has none.
 */
export class StatusAnswers {
  private readonly window: RateWindow;
  private readonly notFoundTotal: RateWindow;

  constructor(
    private readonly deps: {
      store: Store;
      citizens: CitizenDirectory;
      log: Logger;
      queue: (job: EffectJob) => Promise<void>;
      /** Answers per sender per hour; past it the question is recorded but not answered. */
      perHour: number;
    },
  ) {
    this.window = new RateWindow(deps.store, 'intake:status-answers', { max: deps.perHour, windowMinutes: 60 });
    this.notFoundTotal = new RateWindow(deps.store, 'intake:status-not-found-total', {
      max: STATUS_NOT_FOUND_PER_HOUR,
      windowMinutes: 60,
    });
  }

  async take(complaint: ComplaintInput): Promise<StatusOutcome | undefined> {
    const to = this.answerable(complaint);
    if (to === undefined) return undefined;
    const earlier = await this.recordedBefore(complaint);
    if (earlier) return earlier;
    const question = detectStatusQuestion(complaint.text.trim() ? complaint.text : (complaint.subject ?? ''));
    if (!question) return undefined;
    const { store, citizens } = this.deps;
    const { primary } = citizens.identity(complaint);
    // A shared or operator identifier sees no ticket (it names no one person): a number is "not found".
    const own = await citizens.ownRecord(primary);
    const tickets = own ? await this.askableTickets(own.id) : [];
    const decision = decideStatusAnswer(question, tickets);
    if (decision.kind === 'pass') return undefined;
    // One sender however the address is spelled (Korban@Example.com is korban@example.com's mailbox).
    const sender = primary ?? `${complaint.channel}:${to.toLowerCase()}`;
    const admitted = await this.admit(sender, complaint.sourceId, decision.kind === 'not-found');
    if (decision.kind === 'not-found') return this.notFound(complaint, admitted);
    const ticket = await store.getTicket(decision.ticketId);
    if (!ticket) return undefined;
    return this.answer(ticket, complaint, to, admitted);
  }

  /** Within the sender's hourly cap and, for a "not found", the cap of all of them together. */
  private async admit(sender: string, sourceId: string, notFound: boolean): Promise<boolean> {
    if (!(await this.window.admit(sender, sourceId))) return false;
    if (!notFound || (await this.notFoundTotal.admit('all', sourceId))) return true;
    await this.window.release(sender, sourceId);
    return false;
  }

  /**
   * The tickets of the sender's record and of records staff linked to it. Not those linked by the system for a
   * matching NIK: a NIK is written by whoever writes it, and a stranger who types a citizen's NIK into a
   * complaint must not read that citizen's ticket status back (the team still sees the records as one person).
   */
  private async askableTickets(ownId: string): Promise<CitizenTicket[]> {
    const { store, citizens } = this.deps;
    const vouched = await citizens.vouched(ownId);
    return (await store.citizenTickets(ownId)).filter((t) => vouched.has(t.citizenId));
  }

  /** Where the answer goes; undefined when the message is not one to answer automatically. */
  private answerable(complaint: ComplaintInput): string | undefined {
    const { meta } = complaint;
    if (this.deps.perHour <= 0 || !CHANNELS[complaint.channel].canReply) return undefined;
    // A robot, a file, an edit or an answer typed in the Page inbox is never a question to answer.
    if (meta.automated || !complaint.autoReplyAllowed || complaint.attachments.length > 0) return undefined;
    if (meta.changeOf || meta.inboxAnswer || meta.chatter) return undefined;
    return complaint.complainant[CHANNELS[complaint.channel].replyContact] || undefined;
  }

  /** A retried message does what was decided the first time (tickets may have changed since). */
  private async recordedBefore(complaint: ComplaintInput): Promise<StatusOutcome | undefined> {
    const { store } = this.deps;
    const owner = statusNotFoundOwner(complaint.channel, complaint.sourceId);
    if (await store.getEffect(`${owner}:status-not-found`)) {
      await this.queueNotFound(complaint);
      return { kind: 'not-found', limited: false };
    }
    const ticket = await store.findByMessageRefs(complaint.channel, [complaint.sourceId]);
    const entry = ticket?.history.find((h) => h.ref === complaint.sourceId && h.event === 'status-question');
    if (!ticket || !entry) return undefined;
    if (entry.statusAnswer) await this.queueAnswer(ticket, complaint);
    else await store.markIntakeDone(complaint.channel, complaint.sourceId);
    return { kind: 'answer', ticket, limited: !entry.statusAnswer };
  }

  private async answer(ticket: Ticket, complaint: ComplaintInput, to: string, admitted: boolean) {
    const { store, log } = this.deps;
    await store.attachFollowUp(ticket.id, complaint.channel, complaint.sourceId, {
      at: complaint.receivedAt,
      event: 'status-question',
      ref: complaint.sourceId,
      note: admitted
        ? complaint.text.slice(0, 2_000)
        : `${complaint.text.slice(0, 2_000)}\n[tidak dijawab otomatis: batas ${this.deps.perHour} pertanyaan status per jam]`,
      ...(admitted ? { statusAnswer: { channel: complaint.channel, to } } : {}),
    });
    log.info({ ticket: ticket.ticketNumber, channel: complaint.channel, limited: !admitted }, 'status question');
    if (admitted) await this.queueAnswer(ticket, complaint);
    else await store.markIntakeDone(complaint.channel, complaint.sourceId);
    return { kind: 'answer' as const, ticket, limited: !admitted };
  }

  private async notFound(complaint: ComplaintInput, admitted: boolean): Promise<StatusOutcome> {
    // Logged without the number asked for or the sender: a probe leaves no detail to read back either.
    this.deps.log.info({ channel: complaint.channel, limited: !admitted }, 'status question: not found for the sender');
    if (admitted) await this.queueNotFound(complaint);
    else await this.deps.store.markIntakeDone(complaint.channel, complaint.sourceId);
    return { kind: 'not-found', limited: !admitted };
  }

  private queueAnswer(ticket: Ticket, complaint: ComplaintInput): Promise<void> {
    return this.deps.queue({
      ticketId: ticket.id,
      effects: ['status'],
      ref: complaint.sourceId,
      refChannel: complaint.channel,
    });
  }

  private queueNotFound(complaint: ComplaintInput): Promise<void> {
    return this.deps.queue({
      ticketId: statusNotFoundOwner(complaint.channel, complaint.sourceId),
      effects: ['status-not-found'],
      ref: complaint.sourceId,
      refChannel: complaint.channel,
    });
  }
}
