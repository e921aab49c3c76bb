import type { Queue } from 'bullmq';
import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import type { Classification, ComplaintClassifier } from '../domain/classifier';
import {
  validateComplaint,
  type ClassificationResult,
  type ComplaintInput,
  type HistoryEntry,
  type Ticket,
} from '../domain/complaint';
import { extractIdentityNumbers } from '../domain/personal-data';
import { chooseTeam, type RoutingRules } from '../domain/routing';
import {
  isStaffNotice,
  parseOwnMessageId,
  parseReplyTag,
  provenTicket,
  type ReplySecrets,
} from '../domain/office-mail-ids';
import { readStaffReply, staffDirectory, type StaffDirectory } from '../domain/staff';
import { claimsStaff, staffAnswerProblems } from '../domain/staff-answer';
import { ageStart } from '../domain/history-age';
import { computeDueAt, type OfficeCalendar } from '../domain/sla';
import { laporIdentityWithheld } from '../domain/lapor-report';
import { parseTarget } from '../domain/target';
import {
  citizenMessageOutcome,
  DEFAULT_REOPEN_WINDOW_SECONDS,
  readAskMark,
  reopenedDueAt,
  resumedDueAt,
  waitingSince,
  type CitizenMessageOutcome,
} from '../domain/ticket-life';
import { findTicketNumber, yearInZone } from '../domain/ticket-number';
import type { Logger } from '../lib/logger';
import { RateWindow } from '../ops/rate-window';
import type { UnverifiedAnswerReporter } from '../ops/unverified-answer-alerts';
import type { PipelineMetrics } from './metrics';
import { threadRef, type InsertResult, type StatusChange, type Store } from '../store/store';
import { byOwnMessageId, byReplyTag, byTicketNumber, openConversation, sameComplainant } from './thread-lookup';
import { effectJobId, FIRST_EFFECTS, type EffectJob } from './queues';
import { reclassifyOnFollowUp } from './follow-up-reclassify';
import { OTHER_APP_ANSWER, recordAnswerWithoutRelay, recordInboxNote } from './inbox-answer';
import { recordMessageChange } from './message-changes';
import { systemClock, type Clock } from '../domain/clock';
import type { SurveyChatAnswers } from './survey-chat-answer';
import { CHANNELS } from '../domain/channels';
import type { CitizenDirectory } from './citizen-directory';
import { DEFAULT_STATUS_ANSWERS_PER_HOUR, StatusAnswers } from './status-answers';

export interface IntakeStageDeps {
  store: Store;
  classifier: ComplaintClassifier;
  categories: Record<CategoryKey, CategoryConfig>;
  routing: RoutingRules;
  calendar: OfficeCalendar;
  /** Whose mail to a ticket is an answer for the citizen rather than a follow-up. */
  staff: StaffDirectory;
  /** Who may answer a ticket: its team (and supervisors) only, or any staff address. */
  answers: {
    answerableBy: 'team' | 'any-staff';
    teams: Record<string, { emails: string[] }>;
    supervisorEmails: string[];
    /** Unverified notes kept per ticket per hour (forged mail must not flood a ticket); default 5. */
    unverifiedNotesPerHour?: number;
  };
  /** Checks the tokens in our reply addresses and Message-IDs. */
  replySecrets: ReplySecrets;
  /** Domain of our Message-IDs (outbound.fromAddress). */
  ownDomain: string;
  /** Hears of refused staff answers (rate-limited admin alerts). */
  unverifiedAnswers?: UnverifiedAnswerReporter;
  /** Only `add` is used: a command queues through a stand-in that survives Redis being away. */
  effects: Pick<Queue<EffectJob>, 'add'>;
  log: Logger;
  metrics?: Pick<PipelineMetrics, 'ticketCreated' | 'quarantined'>;
  /** A citizen's message this long after the resolution is a new ticket, sooner it reopens (sla.reopenWindowSeconds). */
  reopenWindowSeconds?: number;
  /** The service's time (tests fix it); default the system clock. */
  clock?: Clock;
  /** "Balas 1–4": a reply that answers an open survey invitation (survey enabled). */
  surveyAnswers?: SurveyChatAnswers;
  /** Every new ticket is attached to its sender's citizen record. */
  citizens: CitizenDirectory;
  /** A repeat complaint of an open ticket's kind within this many days joins it (citizens.sameProblemWindowDays). */
  sameProblemWindowDays?: number;
  /** "Sudah sampai mana?" answered automatically at most this often per sender per hour; 0: never (citizens.statusAnswersPerHour). */
  statusAnswersPerHour?: number;
}

export type IntakeOutcome =
  | { kind: 'ticket'; ticket: Ticket; created: boolean }
  | { kind: 'follow-up'; ticket: Ticket; attached: boolean; life?: CitizenMessageOutcome }
  | { kind: 'staff-reply'; ticket: Ticket; internal: boolean; unverified?: string[] }
  /**
   * "Sudah sampai mana?": answered with the status of the sender's own `ticket` (recorded on it), or with "not
   * found" (no ticket); `limited`: past the hourly cap, recorded without an answer.
   */
  | { kind: 'status-question'; ticket?: Ticket; answer: 'status' | 'not-found'; limited: boolean }
  | { kind: 'quarantined'; reason: string }
  /** Nothing to record (an inbox answer in a conversation without an open ticket). */
  | { kind: 'ignored'; reason: string };

/**
 * Turns a complaint into a ticket (or a follow-up of one) and queues its side effects. Safe to run
 * any number of times for the same message: the store decides what is new, and effect jobs carry
 * deterministic ids and effect records.
 */
export class IntakeStage {
  private readonly unverifiedNotes: RateWindow;
  private readonly statusAnswers: StatusAnswers;

  constructor(private readonly deps: IntakeStageDeps) {
    const max = deps.answers.unverifiedNotesPerHour ?? 5;
    this.unverifiedNotes = new RateWindow(deps.store, 'intake:unverified-notes', { max, windowMinutes: 60 });
    this.statusAnswers = new StatusAnswers({
      store: deps.store,
      citizens: deps.citizens,
      log: deps.log,
      queue: (job) => this.queueEffects(job),
      perHour: deps.statusAnswersPerHour ?? DEFAULT_STATUS_ANSWERS_PER_HOUR,
    });
  }

  async process(candidate: unknown): Promise<IntakeOutcome> {
    const { store } = this.deps;
    const outcome = validateComplaint(candidate);
    if (!outcome.ok) {
      const c = candidate as { channel?: unknown; sourceId?: unknown };
      await store.quarantine({
        channel: typeof c?.channel === 'string' ? c.channel : 'unknown',
        ...(typeof c?.sourceId === 'string' ? { sourceId: c.sourceId } : {}),
        reason: outcome.reason,
        payload: JSON.stringify(candidate ?? null),
      });
      this.deps.metrics?.quarantined(
        typeof (candidate as { channel?: unknown })?.channel === 'string'
          ? String((candidate as { channel: string }).channel)
          : 'unknown',
      );
      return { kind: 'quarantined', reason: outcome.reason };
    }
    // History never comes through the queue (the ingest sink stores it directly): a claim to it is dropped.
    const { historicalImport: _claimed, ...live } = outcome.complaint;
    const complaint = enrich(live);
    return (
      (await this.staffReply(complaint)) ??
      (await this.inboxAnswer(complaint)) ??
      (await this.messageChange(complaint)) ??
      (await this.statusQuestion(complaint)) ??
      (await this.thread(complaint)) ??
      (await this.createTicket(complaint))
    );
  }

  /** "Sudah sampai mana?": answered (or "not found"), never a new ticket nor a follow-up for the team. */
  private async statusQuestion(complaint: ComplaintInput): Promise<IntakeOutcome | undefined> {
    // The message that opened a ticket (a retry) stays that ticket's.
    const own = await this.deps.store.findBySource(complaint.channel, complaint.sourceId);
    if (own) return undefined;
    const taken = await this.statusAnswers.take(complaint);
    if (!taken) return undefined;
    return taken.kind === 'answer'
      ? { kind: 'status-question', ticket: taken.ticket, answer: 'status', limited: taken.limited }
      : { kind: 'status-question', answer: 'not-found', limited: taken.limited };
  }

  /** A chat message edited or unsent by the citizen: noted on its ticket (never a new ticket or follow-up). */
  private async messageChange(complaint: ComplaintInput): Promise<IntakeOutcome | undefined> {
    if (!complaint.meta.changeOf) return undefined;
    const ticket = await recordMessageChange(this.deps.store, complaint);
    return ticket
      ? { kind: 'follow-up', ticket, attached: true }
      : { kind: 'ignored', reason: 'change to a message on no ticket' };
  }

  /** An answer staff typed in the channel's own inbox (the Meta Page inbox): recorded on the open ticket, never relayed. */
  private async inboxAnswer(complaint: ComplaintInput): Promise<IntakeOutcome | undefined> {
    if (!complaint.meta.inboxAnswer) return undefined;
    const ticket = await openConversation(this.deps.store, complaint);
    if (!ticket) {
      this.deps.log.info(
        { channel: complaint.channel },
        'inbox answer in a conversation without an open ticket; not recorded',
      );
      await this.deps.store.markIntakeDone(complaint.channel, complaint.sourceId);
      return { kind: 'ignored', reason: 'inbox answer without an open ticket' };
    }
    if (complaint.meta.inboxAnswer === OTHER_APP_ANSWER)
      return { kind: 'staff-reply', ticket: await recordInboxNote(this.deps.store, ticket, complaint), internal: true };
    const answered = await recordAnswerWithoutRelay(this.deps.store, ticket, complaint);
    return { kind: 'staff-reply', ticket: answered, internal: false };
  }

  /**
   * Step 4 starts here: staff answer a ticket by replying to its mail. Only a proven answer speaks for the
   * office: it names the ticket with a valid token, comes From a staff address the receiving server
   * authenticated, with no other Reply-To, from the ticket's team or a supervisor. It is recorded and
   * relayed to the citizen by the effects stage (`#internal` answers are only recorded). A mail that
   * claims to be staff and fails is recorded as an unverified internal note and the admins are told.
   */
  private async staffReply(complaint: ComplaintInput): Promise<IntakeOutcome | undefined> {
    if (complaint.channel !== 'email') return undefined;
    // complainant.email is From, or an authenticated Reply-To (then meta.from is the From).
    const from = complaint.meta.from ?? complaint.complainant.email;
    const replyTo = complaint.meta.from !== undefined ? complaint.complainant.email : complaint.meta.replyTo;
    if (!claimsStaff({ from, replyTo }, this.deps.staff)) return undefined;
    // An out-of-office or a bounce from a staff address is no answer (it may be a follow-up).
    if (complaint.meta.automated && complaint.meta.automated !== 'own') return undefined;
    const named = this.namedTicket(complaint);
    const ticket = named ? await this.deps.store.getTicketByNumber(named.ticketNumber) : undefined;
    if (!named || !ticket) return undefined;
    // The complainant writing about their own ticket from a staff address is a follow-up, unless proven.
    if (!named.proven && sameComplainant(ticket, complaint)) return undefined;

    const { senderAuth, senderAuthNote, fromProblem } = complaint.meta;
    const problems = staffAnswerProblems(
      { from, replyTo, senderAuth, senderAuthNote, fromProblem, proven: named.proven },
      { staff: this.deps.staff, answerableBy: this.deps.answers.answerableBy, responsible: this.responsible(ticket) },
    );
    const marked = readStaffReply(complaint.text);
    // #tanya: the answer asks the citizen for something; relayed without the mark, it keeps the ticket open.
    const asked = marked.internal ? { ask: false, text: marked.text } : readAskMark(marked.text);
    const reply = { internal: marked.internal, text: asked.text };
    // An answer to a reminder, an escalation or a delivery notice is talk among staff, never for the citizen.
    const toStaffOnly = reply.internal || !reply.text || this.answersStaffNotice(complaint.references);
    const internal = problems.length > 0 || toStaffOnly;
    const note = problems.length
      ? `[TIDAK TERVERIFIKASI: ${problems.join('; ')}]\n${cut(complaint.text, UNVERIFIED_TEXT)}`
      : reply.text || '(balasan kosong; tidak diteruskan)';
    const { store } = this.deps;
    // Forged mail must not flood a ticket: past the hourly cap, it is only logged and alerted.
    if (problems.length && !(await this.unverifiedNotes.admit(ticket.id, complaint.sourceId))) {
      const where = { ticket: ticket.ticketNumber, messageId: complaint.sourceId };
      this.deps.log.warn(where, 'unverified note not kept: hourly cap');
      await this.reportUnverified(ticket, from, complaint.sourceId, problems);
      await store.markIntakeDone(complaint.channel, complaint.sourceId);
      return { kind: 'staff-reply', ticket, internal: true, unverified: problems };
    }
    const attached = await store.attachFollowUp(ticket.id, complaint.channel, complaint.sourceId, {
      at: complaint.receivedAt,
      event: internal ? 'internal-note' : 'staff-reply',
      ref: complaint.sourceId,
      note: note.slice(0, 20_000),
      ...(from ? { by: from } : {}),
      ...(problems.length ? { unverified: problems.join('; ').slice(0, 2000) } : {}),
      ...(!internal && complaint.attachments.length ? { attachments: complaint.attachments } : {}),
      ...(!internal && asked.ask ? { ask: true as const } : {}),
    });
    // Already on the ticket as something else (a follow-up, before the sender was listed as staff).
    if (
      !attached &&
      !ticket.history.some(
        (h) => h.ref === complaint.sourceId && (h.event === 'staff-reply' || h.event === 'internal-note'),
      )
    )
      return undefined;
    // Told once per message: the reporter keys the alert on the message id, so a mailbox read again
    // after a crash between the note and the alert neither repeats the alert nor loses it.
    if (problems.length) await this.reportUnverified(ticket, from, complaint.sourceId, problems);
    if (internal) await store.markIntakeDone(complaint.channel, complaint.sourceId);
    else
      await this.queueEffects({
        ticketId: ticket.id,
        effects: ['relay'],
        ref: complaint.sourceId,
        refChannel: complaint.channel,
      });
    return { kind: 'staff-reply', ticket, internal, ...(problems.length ? { unverified: problems } : {}) };
  }

  private async reportUnverified(ticket: Ticket, sender: string | undefined, messageId: string, problems: string[]) {
    await this.deps.unverifiedAnswers
      ?.report({ ticketNumber: ticket.ticketNumber, sender, messageId, problems })
      .catch((error: unknown) => {
        this.deps.log.warn({ err: error, ticket: ticket.ticketNumber }, 'could not alert the admins');
      });
  }

  /**
   * The ticket a mail names, and whether it proves it: a token in the reply address or in one of our
   * Message-IDs it answers proves it; a bare +tag, a token-less or wrong-token id or the subject does not.
   */
  private namedTicket(complaint: ComplaintInput): { ticketNumber: string; proven: boolean } | undefined {
    const { replySecrets, ownDomain } = this.deps;
    const tag = complaint.meta.replyTag ? parseReplyTag(complaint.meta.replyTag) : undefined;
    const ours = complaint.references.map((ref) => parseOwnMessageId(ref, ownDomain)).filter((o) => o?.ticketNumber);
    // In-Reply-To comes last: the nearest of our mails counts first.
    for (const named of [tag, ...[...ours].reverse()]) {
      const proven = provenTicket(named, replySecrets);
      if (proven) return { ticketNumber: proven, proven: true };
    }
    const number = tag?.ticketNumber ?? ours[0]?.ticketNumber ?? findTicketNumber(complaint.subject);
    return number ? { ticketNumber: number, proven: false } : undefined;
  }

  /** The ticket's current team and the supervisors. */
  private responsible(ticket: Ticket): StaffDirectory {
    const { teams, supervisorEmails } = this.deps.answers;
    return staffDirectory([...(teams[ticket.team]?.emails ?? []), ...supervisorEmails], []);
  }

  /** Whether the nearest of our own mails this one answers (In-Reply-To comes last) is a staff notice. */
  private answersStaffNotice(references: string[]): boolean {
    const ours = references.map((ref) => parseOwnMessageId(ref, this.deps.ownDomain)).filter((o) => o?.ticketNumber);
    const nearest = ours[ours.length - 1];
    return nearest !== undefined && isStaffNotice(nearest);
  }

  /** A message that answers a known ticket becomes a follow-up, not a new ticket or a second reply. */
  private async thread(complaint: ComplaintInput): Promise<IntakeOutcome | undefined> {
    const { store } = this.deps;
    const own = await store.findByMessageRefs(complaint.channel, [complaint.sourceId]);
    if (own && own.sourceId === complaint.sourceId) {
      // Taken in as history by a first read while this copy waited: nothing to send.
      if (own.historicalImport) {
        await store.markIntakeDone(complaint.channel, complaint.sourceId);
        return { kind: 'ticket', ticket: own, created: false };
      }
      await this.queueEffects({ ticketId: own.id, effects: [...FIRST_EFFECTS] });
      return { kind: 'ticket', ticket: own, created: false };
    }
    // The survey answer taken in again (its thanks job lost with Redis): thanked as the first time, once.
    if (own && (await this.deps.surveyAnswers?.answeredBy(own, complaint))) return this.thankForAnswer(own, complaint);
    if (own) return this.attach(own, complaint); // attached before: a retried message
    const threaded = await store.findByMessageRefs(complaint.channel, complaint.references);
    const byOwnId = threaded ? undefined : await byOwnMessageId(this.deps.store, this.deps.ownDomain, complaint);
    const conversation = (threaded ?? byOwnId) ? undefined : await openConversation(this.deps.store, complaint);
    const parent =
      threaded ??
      byOwnId ??
      conversation ??
      (await byReplyTag(this.deps.store, complaint)) ??
      (await byTicketNumber(this.deps.store, complaint));
    if (!parent) return undefined;
    const surveyAnswer = await this.deps.surveyAnswers?.take(parent, complaint);
    if (surveyAnswer?.thank) return this.thankForAnswer(parent, complaint, surveyAnswer.attached);
    if (surveyAnswer) return { kind: 'follow-up', ticket: parent, attached: surveyAnswer.attached, life: 'ack' };
    const life = this.lifeOutcome(parent, complaint);
    // Resolved longer ago than the reopen window: a new matter, a new ticket.
    if (life === 'new-ticket') return undefined;
    // Named only by its guessable number (our Message-ID, the bare +tag): a stranger's mail is kept for
    // staff but never reopens the ticket nor ends its wait on the citizen.
    const namedOnly = !threaded && !conversation && !sameComplainant(parent, complaint);
    return this.attach(parent, complaint, namedOnly && life !== 'ack' ? 'follow-up' : life, !namedOnly);
  }

  /** The intake entry stays pending until the thanks went (the effects stage marks it): nothing is lost with Redis. */
  private async thankForAnswer(ticket: Ticket, complaint: ComplaintInput, attached = false): Promise<IntakeOutcome> {
    await this.queueEffects({
      ticketId: ticket.id,
      effects: ['survey-thanks'],
      ref: complaint.sourceId,
      refChannel: complaint.channel,
    });
    return { kind: 'follow-up', ticket, attached, life: 'ack' };
  }

  /**
   * What the message does to its ticket (src/domain/ticket-life): a robot's mail (out-of-office, bounce)
   * never reopens, resumes or starts anything; it is a follow-up as before.
   */
  private lifeOutcome(ticket: Ticket, complaint: ComplaintInput): CitizenMessageOutcome {
    if (complaint.meta.automated) return 'follow-up';
    const name = complaint.complainant.name ?? ticket.complainant.name;
    const outcome = citizenMessageOutcome(
      ticket,
      {
        text: complaint.text,
        attachments: complaint.attachments.length,
        at: complaint.receivedAt,
        ...(name ? { names: [name] } : {}),
      },
      this.deps.reopenWindowSeconds ?? DEFAULT_REOPEN_WINDOW_SECONDS,
    );
    // A chat message with nothing to classify (a sticker, "halo min") after an answer is no new question.
    return outcome === 'reopen' && complaint.meta.chatter ? 'ack' : outcome;
  }

  private async attach(
    parent: Ticket,
    complaint: ComplaintInput,
    life: Exclude<CitizenMessageOutcome, 'new-ticket'> = 'follow-up',
    /** From the ticket's citizen or their conversation: may reclassify (a stranger's mail may not re-route it). */
    fromCitizen = true,
  ): Promise<IntakeOutcome> {
    const { entry, change } = this.lifeChange(parent, complaint, life);
    const attached = await this.deps.store.attachFollowUp(
      parent.id,
      complaint.channel,
      complaint.sourceId,
      entry,
      change,
    );
    // A retried message does what was recorded the first time (the ticket may have changed since).
    const recorded = attached ? entry : parent.history.find((h) => h.ref === complaint.sourceId);
    if (recorded?.event === 'citizen-ack') {
      await this.deps.store.markIntakeDone(complaint.channel, complaint.sourceId);
      return { kind: 'follow-up', ticket: parent, attached, life: 'ack' };
    }
    if (attached && fromCitizen && !complaint.meta.automated)
      await reclassifyOnFollowUp(
        { ...this.deps, queue: (job) => this.queueEffects(job) },
        parent,
        complaint,
        classificationResult,
      );
    // The intake entry stays pending until the effects stage has forwarded the follow-up: if Redis
    // loses the job, the reconciler runs intake again and this queues it again.
    await this.queueEffects({
      ticketId: parent.id,
      effects: recorded?.sameProblem ? ['follow-up', 'joined'] : ['follow-up'],
      ref: complaint.sourceId,
      refChannel: complaint.channel,
    });
    return { kind: 'follow-up', ticket: parent, attached, ...(attached ? { life } : {}) };
  }

  /** The history entry of a citizen's message, and the status change it brings (in the same write). */
  private lifeChange(
    ticket: Ticket,
    complaint: ComplaintInput,
    life: Exclude<CitizenMessageOutcome, 'new-ticket'>,
  ): { entry: HistoryEntry; change?: StatusChange } {
    const base = { at: complaint.receivedAt, ref: complaint.sourceId, note: complaint.text.slice(0, 20_000) };
    const { calendar, categories } = this.deps;
    switch (life) {
      case 'ack':
        return { entry: { ...base, event: 'citizen-ack' } };
      case 'resume': {
        const since = waitingSince(ticket.history) ?? complaint.receivedAt;
        const resumed = resumedDueAt(
          { dueAt: ticket.dueAt, waitingSince: since, repliedAt: complaint.receivedAt },
          calendar,
        );
        return {
          entry: { ...base, event: 'citizen-replied', waitedMinutes: resumed.waitedMinutes },
          change: { status: 'routed', dueAt: resumed.dueAt },
        };
      }
      case 'reopen': {
        const target = parseTarget(categories[ticket.classification.category].target);
        return {
          entry: { ...base, event: 'reopened' },
          change: { status: 'reopened', dueAt: reopenedDueAt(complaint.receivedAt, target, calendar) },
        };
      }
      default:
        return { entry: { ...base, event: 'follow-up' } };
    }
  }

  /**
   * A record a first read found older than the channel's history age: stored with its own time, kind,
   * team and channel so reports count it, closed at once (no open-ticket query, so no reminder, escalation
   * or reconciler pass, ever picks it up) and no effect queued. Idempotent like any intake.
   */
  async importHistorical(complaint: ComplaintInput): Promise<IntakeOutcome> {
    const clock = this.deps.clock ?? systemClock;
    const importId = complaint.historicalImport ?? 'import';
    const { ticket, created, joinedConversation } = await this.insertClassified(complaint, 'resolved', [
      {
        at: clock.now().toISOString(),
        event: 'note',
        note: `Diimpor sebagai riwayat (${importId}): tanpa tanggapan awal, surat tim, pengingat, atau eskalasi.`,
      },
    ]);
    if (joinedConversation)
      await this.deps.store.attachFollowUp(ticket.id, complaint.channel, complaint.sourceId, {
        at: complaint.receivedAt,
        event: 'note',
        ref: complaint.sourceId,
        note: `Riwayat yang diimpor (${importId}):\n${complaint.text.slice(0, 20_000)}`,
      });
    if (!joinedConversation) await this.deps.citizens.attach(ticket);
    if (created) this.deps.metrics?.ticketCreated(ticket.channel, ticket.classification.category);
    return { kind: 'ticket', ticket, created };
  }

  /** Classifies, times and routes a complaint and stores it as a ticket with `status`. */
  private classify(complaint: ComplaintInput): Classification {
    return this.deps.classifier.classify({
      ...(complaint.subject ? { subject: complaint.subject } : {}),
      text: complaint.text,
      channel: complaint.channel,
    });
  }

  /**
   * Same problem, one ticket: the citizen's new complaint of the kind of their open ticket is a follow-up of
   * it (one SLA clock, no second initial response, no second number); they are told that ticket's number
   * where they wrote (the `joined` effect), and the team gets the message as a follow-up. `nikOnly` (the open
   * ticket's record is tied to the sender only by a NIK they typed): they are told it joined, not which ticket.
   */
  private async joinSameProblem(open: Ticket, complaint: ComplaintInput, nikOnly: boolean): Promise<IntakeOutcome> {
    const { store, log } = this.deps;
    const contact = CHANNELS[complaint.channel].replyContact;
    const to = complaint.autoReplyAllowed ? complaint.complainant[contact] : undefined;
    const entry: HistoryEntry = {
      at: complaint.receivedAt,
      event: 'follow-up',
      ref: complaint.sourceId,
      note: complaint.text.slice(0, 20_000),
      sameProblem: { channel: complaint.channel, ...(to ? { to } : {}), ...(nikOnly ? { nikOnly: true } : {}) },
    };
    const attached = await store.attachFollowUp(open.id, complaint.channel, complaint.sourceId, entry);
    // The rest of that conversation belongs to the same ticket.
    if (complaint.threadId) await store.addMessageRef(open.id, complaint.channel, threadRef(complaint.threadId));
    log.info(
      { ticket: open.ticketNumber, channel: complaint.channel, category: open.classification.category, nikOnly },
      'repeat complaint joined the open ticket of the same kind',
    );
    await this.queueEffects({
      ticketId: open.id,
      effects: ['follow-up', 'joined'],
      ref: complaint.sourceId,
      refChannel: complaint.channel,
    });
    return { kind: 'follow-up', ticket: open, attached, ...(attached ? { life: 'follow-up' as const } : {}) };
  }

  private async insertClassified(
    complaint: ComplaintInput,
    status: Ticket['status'],
    extraHistory: Ticket['history'] = [],
    classifiedBefore?: Classification,
  ): Promise<InsertResult & { classified: Classification }> {
    const { store, categories, routing, calendar } = this.deps;
    const clock = this.deps.clock ?? systemClock;
    const classified = classifiedBefore ?? this.classify(complaint);
    const category = categories[classified.category];
    // The SLA clock starts when the record reached the office (a LAPOR! report: its disposition, not the
    // citizen's submission), also for a record that reached us late (a backlog: the citizen has been waiting).
    const dueAt = computeDueAt(ageStart(complaint), parseTarget(category.target), calendar);
    const team = chooseTeam(routing, classified.category, complaint.channel, Boolean(classified.integrity?.length));
    const inserted = await store.insertTicket(
      {
        ...complaint,
        status,
        classification: classificationResult(classified),
        targetMinutes: classified.targetMinutes,
        dueAt,
        team,
        history: [
          { at: complaint.receivedAt, event: 'received' },
          {
            at: clock.now().toISOString(),
            event: 'classified',
            note: `${classified.category} (${classified.confidence.toFixed(2)})`,
          },
          ...extraHistory,
        ],
      },
      yearInZone(complaint.receivedAt, calendar.timeZone),
    );
    return { ...inserted, classified };
  }

  private async createTicket(complaint: ComplaintInput): Promise<IntakeOutcome> {
    const { log } = this.deps;
    const classified = this.classify(complaint);
    const repeated = complaint.meta.automated
      ? undefined
      : await this.deps.citizens.openSameProblem(complaint, classified.category, this.deps.sameProblemWindowDays ?? 0);
    const open = repeated ? await this.deps.store.getTicket(repeated.ticket.ticketId) : undefined;
    if (repeated && open) return this.joinSameProblem(open, complaint, repeated.nikOnly);
    const { ticket, created, joinedConversation } = await this.insertClassified(complaint, 'received', [], classified);
    const team = ticket.team;
    // Another message of the same open conversation won the race to create the ticket: join it.
    if (joinedConversation) return this.attach(ticket, complaint);
    if (created) {
      log.info(
        { ticket: ticket.ticketNumber, channel: ticket.channel, category: classified.category, team },
        'ticket created',
      );
      this.deps.metrics?.ticketCreated(ticket.channel, classified.category);
    }
    // Before the effects: the team mail lists the sender's other tickets (it attaches again if this was lost).
    await this.deps.citizens.attach(ticket);
    await this.queueEffects({ ticketId: ticket.id, effects: [...FIRST_EFFECTS] });
    return { kind: 'ticket', ticket, created };
  }

  private async queueEffects(data: EffectJob): Promise<void> {
    await this.deps.effects.add(data.ref ? data.effects.join('+') : 'first-response', data, {
      jobId: effectJobId(data),
    });
  }
}

/** Fills NIK/KK from the text when the channel did not (citizens often type them in the message). */
function enrich(complaint: ComplaintInput): ComplaintInput {
  if (complaint.complainant.nik && complaint.complainant.kk) return complaint;
  // A confidential or anonymous LAPOR! report keeps no identity, not even one its text mentions.
  if (laporIdentityWithheld(complaint)) return complaint;
  const found = extractIdentityNumbers(complaint.text);
  return {
    ...complaint,
    complainant: {
      ...complaint.complainant,
      ...(complaint.complainant.nik || !found.nik ? {} : { nik: found.nik }),
      ...(complaint.complainant.kk || !found.kk ? {} : { kk: found.kk }),
    },
  };
}

/** What the ticket keeps of a classification: candidates only when triaged (the team mail names them). */
function classificationResult(classified: Classification): ClassificationResult {
  const { category, confidence, evidence, candidates, triage, integrity } = classified;
  return {
    category,
    confidence,
    evidence,
    ...(triage && candidates ? { candidates, triage } : {}),
    ...(integrity?.length ? { integrity } : {}),
  };
}

/** Text of an unverified note kept on the ticket: enough for staff to judge it, too little to flood. */
const UNVERIFIED_TEXT = 2_000;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… dipotong; ${text.length - max} karakter lagi]`;
}
