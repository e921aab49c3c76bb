import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import type { ChannelKey } from '../domain/channels';
import type { HistoryEntry, HistoryEvent, Ticket, TicketStatus } from '../domain/complaint';
import { composeAcknowledgement, composeTeamMail, type TeamMailInput } from '../domain/messages';
import { describeTarget, parseTarget } from '../domain/target';
import type { Logger } from '../lib/logger';
import { NotSentError, type OutgoingMessage, type Transport } from '../outbound/message';
import { effectKey, type Store } from '../store/store';
import { CoordinationPlans } from './coordination-plans';
import { initialResponseRoute, otherContactsOf } from './reply-route';
import type { Plan } from './effect-plan';
import type { ReplyBudget } from '../outbound/reply-budget';
import { classifyError, PermanentError, TransientError } from '../lib/errors';
import { effectRecordKind, hashId, slaPeriodOfJob, type EffectJob, type EffectKind } from './queues';
import type { AttachmentFolders } from '../outbound/attachment-folder';
import type { DeliveryProgress } from '../outbound/delivery-progress';
import { neutralizeAttachment } from '../outbound/forwarded-attachments';
import {
  citizenMailId,
  citizenReplyAddress,
  staffMailId,
  staffReplyAddress,
  type ReplySecrets,
} from '../domain/office-mail-ids';
import type { PipelineMetrics } from './metrics';
import { CITIZEN_FACING_PURPOSES, RESTRICTED_REASON, restrictionOf } from '../privacy/restriction-check';
import { LaporPlans, type LaporPlanDeps } from './lapor-plans';
import type { SurveyPlans } from './survey-plans';
import type { CitizenDirectory } from './citizen-directory';
import type { CitizenSummary } from '../domain/citizens/team-mail-lines';
import { StatusPlans } from './status-plans';
import { StatusNotFound } from './status-not-found';

export interface EffectsStageDeps {
  store: Store;
  categories: Record<CategoryKey, CategoryConfig>;
  teams: Record<string, { name: string; emails: string[] }>;
  timeZone: string;
  maskNikInTeamMail: boolean;
  /** Our address; replies come back to its +ticket tag (with a token on mail to staff). */
  fromAddress: string;
  /** Signs the tokens of mail to staff. */
  replySecrets: ReplySecrets;
  /** The only folders outgoing attachments are read from (the service's stored attachments). */
  attachmentFolders: AttachmentFolders;
  /** How to answer a citizen on each channel; a channel without one gets no automatic reply. */
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  teamTransport: Transport;
  sla: { reminderAtShare: number; supervisorEmails: string[] };
  metrics?: Pick<PipelineMetrics, 'slaBreached'> & Partial<Pick<PipelineMetrics, 'firstEffectSent'>>;
  log: Logger;
  /** How long a started attempt keeps others from the same effect without a heartbeat (default 60 s). */
  effectLeaseMs?: number;
  /** SP4N-LAPOR! reports: the hand-off and LAPOR!'s clock (absent: LAPOR! tickets are answered like call-backs). */
  lapor?: Omit<
    LaporPlanDeps,
    'timeZone' | 'teams' | 'teamTransport' | 'supervisorEmails' | 'staffReplyAddress' | 'staffMailId'
  >;
  /** The satisfaction survey's invitation and reminder; absent: survey off (such effects are skipped). */
  survey?: SurveyPlans;
  /** Tells the team mail of a new ticket the sender's other tickets (absent: not told). */
  citizens?: CitizenDirectory;
  /** Channels' budgets of automatic replies (the e-mail channel's), asked before an initial response goes. */
  replyBudgets?: Partial<Record<ChannelKey, ReplyBudget>>;
}

/**
 * How long a started attempt keeps others from performing the same effect. A send in progress renews
 * it every third of the lease (a send may wait for a pooled connection, then take the socket timeout),
 * so only an attempt that stopped renewing — a crash — lets another one start.
 */
const EFFECT_LEASE_MS = 60_000;

type SendPlan = Extract<Plan, { send: OutgoingMessage }>;

/**
 * Performs one side effect of a ticket exactly once: the effect record is checked and started before
 * sending and completed (with the history entry, in one write) after. A crash between the send and
 * the completion is the only window in which a retry may send again; transports use the effect's
 * deterministic message id so receivers and the outbox can recognise the repeat.
 */
export class EffectsStage {
  private readonly coordination: CoordinationPlans;
  private readonly lapor: LaporPlans | undefined;
  private readonly status: StatusPlans;
  private readonly statusNotFound: StatusNotFound;
  private readonly leaseMs: number;

  constructor(private readonly deps: EffectsStageDeps) {
    this.leaseMs = deps.effectLeaseMs ?? EFFECT_LEASE_MS;
    this.coordination = new CoordinationPlans({
      ...deps,
      ...deps.sla,
      staffReplyAddress: (ticket) => this.staffReplyAddress(ticket),
      citizenReplyAddress: (ticket) => citizenReplyAddress(deps.fromAddress, ticket.ticketNumber),
      staffMailId: (ticket, suffix) => staffMailId(ticket.ticketNumber, suffix, deps.replySecrets),
    });
    this.status = new StatusPlans({
      ...deps,
      citizenReplyAddress: (ticket) => citizenReplyAddress(deps.fromAddress, ticket.ticketNumber),
    });
    this.statusNotFound = new StatusNotFound({ ...deps, leaseMs: this.leaseMs, plans: this.status });
    this.lapor = deps.lapor
      ? new LaporPlans({
          ...deps.lapor,
          timeZone: deps.timeZone,
          teams: deps.teams,
          teamTransport: deps.teamTransport,
          supervisorEmails: deps.sla.supervisorEmails,
          staffReplyAddress: (ticket) => this.staffReplyAddress(ticket),
          staffMailId: (ticket, suffix) => this.staffId(ticket, suffix),
        })
      : undefined;
  }

  /**
   * Performs every effect of the job at once: the citizen's reply and the team mail do not wait for each
   * other (their store writes share group commits; on the pipeline bench ≈ 7 % more complaints/s together
   * with the higher default concurrency). One failing does not stop the others; the job fails after.
   */
  async process(job: EffectJob): Promise<string> {
    // "Not found" belongs to no ticket: it is performed from the message's intake entry.
    if (job.effects.includes('status-not-found')) return this.statusNotFound.perform(job);
    const ticket = await this.deps.store.getTicket(job.ticketId);
    if (!ticket) throw new PermanentError(`ticket ${job.ticketId} does not exist`);
    const outcomes = await Promise.allSettled(job.effects.map((effect) => this.processOne(ticket, effect, job.ref)));
    const results: string[] = [];
    let failure: unknown;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') results.push(`${job.effects[i]}: ${outcome.value}`);
      // Retry when anything is worth retrying; a permanent failure alone goes to the dead-letter queue.
      else if (failure === undefined || classifyError(failure) === 'permanent') failure = outcome.reason;
    });
    if (failure !== undefined) throw failure;
    if (job.ref !== undefined && job.refChannel) await this.deps.store.markIntakeDone(job.refChannel, job.ref);
    return results.join('; ');
  }

  private async processOne(ticket: Ticket, effect: EffectKind, ref: string | undefined): Promise<string> {
    const { store, log } = this.deps;
    const kind = effectRecordKind(effect, ref);
    const key = effectKey(ticket.id, kind);
    const state = await store.beginEffect(key, ticket.id, kind, this.leaseMs);
    if (state === 'done') return 'already done';
    // Look again a few times within the lease: enough attempts remain for when it runs out.
    if (state === 'busy')
      throw new TransientError(
        `${kind} of ${ticket.ticketNumber} is being performed by another attempt`,
        this.leaseMs / 4,
      );
    if (state === 'in-doubt')
      log.warn({ ticket: ticket.ticketNumber, effect: kind }, 'an earlier attempt did not finish; performing again');

    let plan: Plan;
    try {
      // Read before planning (plans are pure): the sender's other tickets for a new ticket's team mail.
      const citizen = effect === 'route' ? await this.deps.citizens?.summary(ticket) : undefined;
      plan = await this.plan(effect, ticket, ref, citizen);
    } catch (error) {
      await store.releaseEffect(key);
      throw error;
    }
    if ('skip' in plan) {
      await store.completeEffect(key, `skipped: ${plan.skip}`, plan.history ? { entry: plan.history } : undefined);
      return `skipped: ${plan.skip}`;
    }
    // A citizen who asked to restrict processing (UU PDP) gets nothing automatic; the team hears why.
    if (CITIZEN_FACING_PURPOSES.has(plan.send.purpose) && (await this.restricted(key, ticket)))
      return this.notSent(key, ticket, plan.send, RESTRICTED_REASON);
    // After the restriction check: a response held back for it does not use up the budget.
    const overBudget = await this.overReplyBudget(key, ticket, plan.send);
    if (overBudget) {
      // Only noted: the team has the ticket, and a flood of forged mail must not become a flood of notices too.
      const entry = { at: new Date().toISOString(), event: 'acknowledgement-skipped' as const, note: overBudget };
      await store.completeEffect(key, `skipped: ${overBudget}`, { entry });
      return `skipped: ${overBudget}`;
    }
    const checked = plan.send.attachments?.length ? await this.checkAttachments(ticket, plan) : plan;
    let detail: string;
    const progress = this.progressOf(ticket, kind, key);
    try {
      detail = await this.holdingLease(ticket, kind, key, () => checked.transport.deliver(checked.send, progress));
    } catch (error) {
      if (error instanceof NotSentError) return this.notSent(key, ticket, checked.send, error.reason);
      // Nothing was sent (the transport refused or failed): the next attempt need not wait for the lease.
      await store.releaseEffect(key);
      throw error;
    }
    const entry = progress.notes.length
      ? { ...checked.history, note: [checked.history.note ?? '', ...progress.notes].join('; ').slice(0, 2000) }
      : checked.history;
    const done = { entry, ...(checked.status ? { status: checked.status } : {}) };
    await this.recordSent(ticket, kind, key, detail, done);
    if (effect === 'escalate') this.deps.metrics?.slaBreached(ticket.team, ticket.classification.category);
    if (effect === 'respond' || effect === 'route')
      this.deps.metrics?.firstEffectSent?.(effect, ticket.channel, (Date.now() - Date.parse(ticket.receivedAt)) / 1000);
    log.info({ ticket: ticket.ticketNumber, effect: kind, detail }, 'effect done');
    return detail;
  }

  /** Why an initial response may not go after all: its channel's reply budget is used up (else undefined). */
  private async overReplyBudget(key: string, ticket: Ticket, send: OutgoingMessage): Promise<string | undefined> {
    const budget = send.purpose === 'acknowledgement' ? this.deps.replyBudgets?.[send.channel] : undefined;
    const to = send.to[0];
    if (!budget || !to) return undefined;
    try {
      return await budget.refusal(to, send.inReplyTo ?? ticket.sourceId);
    } catch (error) {
      await this.deps.store.releaseEffect(key);
      throw error;
    }
  }

  private async restricted(key: string, ticket: Ticket): Promise<boolean> {
    try {
      return (await restrictionOf(this.deps.store, ticket)) !== undefined;
    } catch (error) {
      await this.deps.store.releaseEffect(key);
      throw error;
    }
  }

  /**
   * Renews the lease while `send` runs, so a send slower than the lease (waiting for a pooled connection,
   * a slow server) is not taken for a crash and performed again by another attempt.
   */
  private async holdingLease<T>(ticket: Ticket, kind: string, key: string, send: () => Promise<T>): Promise<T> {
    const { store, log } = this.deps;
    const renew = () =>
      store.renewEffect(key).then(
        (held) => {
          if (!held) log.warn({ ticket: ticket.ticketNumber, effect: kind }, 'effect lease lost while sending');
        },
        (error: unknown) => log.warn({ ticket: ticket.ticketNumber, effect: kind, err: error }, 'lease not renewed'),
      );
    const heartbeat = setInterval(() => void renew(), this.leaseMs / 3);
    try {
      return await send();
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Parts of one message sent in several calls (Meta: a text, then each file) are recorded as effects of their
   * own under the message's key, so a retry after a partial send does not send them again.
   */
  private progressOf(ticket: Ticket, kind: string, key: string): DeliveryProgress & { notes: string[] } {
    const { store } = this.deps;
    const notes: string[] = [];
    return {
      notes,
      note: (text) => void notes.push(text),
      sent: async (part) => (await store.getEffect(`${key}/${part}`))?.state === 'done',
      record: async (part, detail) => {
        await store.beginEffect(`${key}/${part}`, ticket.id, `${kind}/${part}`, this.leaseMs);
        await store.completeEffect(`${key}/${part}`, detail);
      },
    };
  }

  /** Files outside the attachment folders are not sent; the ticket notes which (never where they pointed). */
  private async checkAttachments(ticket: Ticket, plan: SendPlan): Promise<SendPlan> {
    const { allowed, refused } = await this.deps.attachmentFolders.filter(plan.send.attachments ?? []);
    if (refused.length === 0) return { ...plan, send: { ...plan.send, attachments: allowed } };
    const names = refused.map((a) => a.filename);
    const log = { ticket: ticket.ticketNumber, refused: names };
    this.deps.log.warn(log, 'attachment outside the attachment folder not sent');
    const why = 'lampiran tidak dikirim (berkas di luar folder lampiran layanan)';
    const note = `${plan.history.note ?? ''}; ${why}: ${names.join(', ')}`;
    const history = { ...plan.history, note: note.slice(0, 2000) };
    return { ...plan, send: { ...plan.send, attachments: allowed }, history };
  }

  /** The transport chose not to send: the ticket notes why and the team hears it, so a person can follow up. */
  private async notSent(key: string, ticket: Ticket, message: OutgoingMessage, reason: string): Promise<string> {
    const team = this.deps.teams[ticket.team];
    // A survey invitation or a status answer that cannot go is only noted: no one needs to call the citizen.
    if (team && message.purpose !== 'survey-invitation' && message.purpose !== 'status-answer') {
      await this.deps.teamTransport.deliver({
        // The notice names the message it is about: ADU-…-<token>.ack.not-sent.
        id: this.staffId(ticket, `${message.id.slice(message.id.indexOf('.') + 1)}.not-sent`),
        purpose: 'team-follow-up',
        channel: 'email',
        to: team.emails,
        subject: `[${ticket.ticketNumber}] Pesan kepada pelapor tidak terkirim`,
        text: [
          `Pesan kepada pelapor tiket ${ticket.ticketNumber} lewat ${ticket.channel} tidak dikirim.`,
          `Alasan: ${reason}.`,
          '',
          'Mohon tindak lanjuti secara langsung bila pelapor perlu dihubungi.',
        ].join('\n'),
        replyTo: this.staffReplyAddress(ticket),
      });
    }
    const event = message.purpose === 'acknowledgement' ? 'acknowledgement-skipped' : 'note';
    await this.recordSent(ticket, 'not-sent', key, `not sent: ${reason}`, {
      entry: { at: new Date().toISOString(), event, note: `tidak terkirim: ${reason}` },
    });
    this.deps.log.info(
      { ticket: ticket.ticketNumber, message: message.id },
      'transport did not send; noted on the ticket and told the team',
    );
    return `not sent: ${reason}`;
  }

  /**
   * A message went out: its effect record must say so, or the next attempt sends it again once the
   * lease runs out. A store that is briefly unavailable (SQLITE_BUSY, a failover) is waited for, within
   * half the lease; only if it stays away longer does the attempt fail (and may repeat the send).
   */
  private async recordSent(
    ticket: Ticket,
    kind: string,
    key: string,
    detail: string,
    history: { entry: HistoryEntry; status?: TicketStatus },
  ): Promise<void> {
    const deadline = Date.now() + this.leaseMs / 2;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.completeEffect(key, detail, history);
        return;
      } catch (error) {
        if (classifyError(error) === 'permanent' || Date.now() >= deadline) throw error;
        this.deps.log.warn(
          { ticket: ticket.ticketNumber, effect: kind, attempt, err: error },
          'sent, but the store could not record it yet; trying again so it is not sent twice',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
      }
    }
  }

  private plan(
    effect: EffectKind,
    ticket: Ticket,
    ref: string | undefined,
    citizen?: CitizenSummary,
  ): Plan | Promise<Plan> {
    switch (effect) {
      case 'survey':
        return this.deps.survey?.invitation(ticket) ?? { skip: 'survei tidak diaktifkan' };
      case 'survey-reminder':
        return this.deps.survey?.reminder(ticket) ?? { skip: 'survei tidak diaktifkan' };
      case 'survey-thanks':
        return this.deps.survey?.thanks(ticket) ?? { skip: 'survei tidak diaktifkan' };
      case 'respond':
        return this.planAcknowledgement(ticket);
      case 'route':
        return this.planTeamMail(ticket, undefined, undefined, citizen);
      case 'follow-up':
        return this.planFollowUp(ticket, ref ?? '');
      case 'reroute':
        return this.planReroute(ticket, ref ?? '');
      case 'relay':
        // A LAPOR! reporter cannot be messaged: the answer goes to the Admin Penghubung to post.
        return ticket.channel === 'lapor' && this.lapor
          ? this.lapor.handoff(ticket, ref ?? '')
          : this.coordination.relay(ticket, ref ?? '');
      case 'remind':
        return this.coordination.remind(ticket, slaPeriodOfJob(ref));
      case 'escalate':
        return this.coordination.escalate(ticket, slaPeriodOfJob(ref));
      case 'lapor-remind':
        return this.laporPlans(ticket).remind(ticket, Number(ref));
      case 'lapor-escalate':
        return this.laporPlans(ticket).escalate(ticket);
      case 'joined':
        return this.coordination.joined(ticket, ref ?? '');
      case 'status':
        return this.status.answer(ticket, ref ?? '');
      case 'status-not-found':
        throw new PermanentError('a "not found" status answer belongs to no ticket');
    }
  }

  private laporPlans(ticket: Ticket): LaporPlans {
    if (!this.lapor) throw new PermanentError(`LAPOR! effects of ${ticket.ticketNumber} need the lapor settings`);
    return this.lapor;
  }

  private planAcknowledgement(ticket: Ticket): Plan {
    const now = new Date().toISOString();
    const skipped = (reason: string): Plan => ({
      skip: reason,
      history: { at: now, event: 'acknowledgement-skipped', note: reason },
    });
    if (!ticket.autoReplyAllowed)
      return skipped(ticket.meta.autoReplyBlocked ?? 'balasan otomatis tidak diizinkan untuk pesan ini');
    const { channel, transport, recipient } = initialResponseRoute(ticket, this.deps.citizenTransports);
    if (!transport)
      return skipped('kanal ini tidak memiliki balasan otomatis; respon awal disampaikan langsung oleh petugas');
    if (!recipient) return skipped('alamat balasan pelapor tidak diketahui');
    const category = this.deps.categories[ticket.classification.category];
    const { subject, text } = composeAcknowledgement({
      ticket,
      template: category.responseTemplate,
      label: category.label,
      targetText: describeTarget(parseTarget(category.target)),
      timeZone: this.deps.timeZone,
    });
    const inReplyTo = ticket.channel === 'email' ? ticket.sourceId : undefined;
    return {
      send: {
        id: citizenMailId(ticket.ticketNumber, 'ack'),
        purpose: 'acknowledgement',
        channel,
        to: [recipient],
        subject,
        text,
        ...(inReplyTo ? { inReplyTo, references: [...ticket.references, inReplyTo] } : {}),
        replyTo: citizenReplyAddress(this.deps.fromAddress, ticket.ticketNumber),
        ...otherContactsOf(ticket),
      },
      transport,
      history: {
        at: now,
        event: 'acknowledged',
        note:
          channel === ticket.channel
            ? `respon awal dikirim ke ${channel}`
            : `respon awal dikirim ke ${channel} (penelepon setuju dihubungi lewat WhatsApp)`,
      },
      status: 'acknowledged',
    };
  }

  private planTeamMail(
    ticket: Ticket,
    followUp?: NonNullable<TeamMailInput['followUp']> & { ref: string },
    rerouted?: { note: string; ref: string },
    citizen?: CitizenSummary,
  ): Plan {
    const team = this.deps.teams[ticket.team];
    if (!team) throw new PermanentError(`team "${ticket.team}" of ${ticket.ticketNumber} is not configured`);
    const category = this.deps.categories[ticket.classification.category];
    const { subject, text } = composeTeamMail({
      ticket,
      label: category.label,
      labelOf: (kind) => this.deps.categories[kind].label,
      targetText: describeTarget(parseTarget(category.target)),
      teamName: team.name,
      timeZone: this.deps.timeZone,
      maskNik: this.deps.maskNikInTeamMail,
      ...(ticket.channel === 'lapor' && this.lapor ? { channelLines: this.lapor.teamMailLines(ticket) } : {}),
      ...(followUp ? { followUp } : {}),
      ...(rerouted ? { rerouted } : {}),
      ...(citizen ? { citizen } : {}),
    });
    if (rerouted) {
      return {
        send: {
          id: this.staffId(ticket, `rr-${hashId(rerouted.ref).slice(0, 12)}`),
          purpose: 'team-ticket',
          channel: 'email',
          to: team.emails,
          subject,
          text,
          replyTo: this.staffReplyAddress(ticket),
          attachments: storedAttachments(ticket),
        },
        transport: this.deps.teamTransport,
        history: {
          at: new Date().toISOString(),
          event: 'note',
          note: `tiket dikirim ke ${team.name} setelah dialihkan`,
        },
      };
    }
    const attachments = followUp ? [] : storedAttachments(ticket);
    return {
      send: {
        id: this.staffId(ticket, followUp ? `fu-${hashId(followUp.ref).slice(0, 12)}` : 'team'),
        purpose: followUp ? 'team-follow-up' : 'team-ticket',
        channel: 'email',
        to: team.emails,
        subject,
        text,
        replyTo: this.staffReplyAddress(ticket),
        attachments,
      },
      transport: this.deps.teamTransport,
      history: followUp
        ? { at: new Date().toISOString(), event: 'note', note: `pesan lanjutan diteruskan ke ${team.name}` }
        : { at: new Date().toISOString(), event: 'routed', note: team.name },
      ...(followUp ? {} : { status: 'routed' as const }),
    };
  }

  private planFollowUp(ticket: Ticket, ref: string): Plan {
    const entry = ticket.history.find((h) => h.ref === ref && isFollowUpEvent(h.event));
    if (!entry) throw new PermanentError(`follow-up ${ref} is not recorded on ${ticket.ticketNumber}`);
    return this.planTeamMail(ticket, {
      text: entry.note ?? '',
      receivedAt: entry.at,
      ref,
      life: entry.event as 'follow-up' | 'citizen-replied' | 'reopened',
      ...(entry.waitedMinutes !== undefined ? { waitedMinutes: entry.waitedMinutes } : {}),
      ...(entry.sameProblem ? { sameProblemChannel: entry.sameProblem.channel } : {}),
      ...(entry.sameProblem?.nikOnly ? { sameProblemNikOnly: true } : {}),
    });
  }

  private planReroute(ticket: Ticket, ref: string): Plan {
    const entry = ticket.history.find((h) => h.event === 'rerouted' && h.ref === ref);
    if (!entry) throw new PermanentError(`re-routing ${ref} is not recorded on ${ticket.ticketNumber}`);
    return this.planTeamMail(ticket, undefined, { note: entry.note ?? '', ref });
  }

  /** pengaduan+ADU-2026-000123-<token>@…: only staff who received our mail know it (src/domain/office-mail-ids). */
  private staffReplyAddress(ticket: Ticket): string {
    return staffReplyAddress(this.deps.fromAddress, ticket.ticketNumber, this.deps.replySecrets);
  }

  private staffId(ticket: Ticket, suffix: string): string {
    return staffMailId(ticket.ticketNumber, suffix, this.deps.replySecrets);
  }
}

/** A citizen's message the team is sent: a follow-up, an answer to the team's question, or a reopening. */
function isFollowUpEvent(event: HistoryEvent): boolean {
  return event === 'follow-up' || event === 'citizen-replied' || event === 'reopened';
}

function storedAttachments(ticket: Ticket): Array<{ filename: string; contentType: string; path: string }> {
  // Staff open these: anything a mail client could run (HTML, SVG, scripts) is forwarded as plain text.
  return ticket.attachments
    .filter((a) => a.storedAt)
    .map((a) => neutralizeAttachment({ filename: a.filename, contentType: a.contentType, path: a.storedAt! }));
}
