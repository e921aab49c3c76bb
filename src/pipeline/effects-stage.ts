import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import type { ChannelKey } from '../domain/channels';
import type { HistoryEntry, Ticket, TicketStatus } from '../domain/complaint';
import { composeAcknowledgement, composeTeamMail } from '../domain/messages';
import { describeTarget, parseTarget } from '../domain/target';
import type { Logger } from '../lib/logger';
import type { OutgoingMessage, Transport } from '../outbound/message';
import { effectKey, type Store } from '../store/store';
import { PermanentError } from './errors';
import { hashId, type EffectJob } from './queues';

export interface EffectsStageDeps {
  store: Store;
  categories: Record<CategoryKey, CategoryConfig>;
  teams: Record<string, { name: string; emails: string[] }>;
  timeZone: string;
  maskNikInTeamMail: boolean;
  /** Our address; staff replies come back to its +ticket tag. */
  fromAddress: string;
  /** How to answer a citizen on each channel; a channel without one gets no automatic reply. */
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  teamTransport: Transport;
  log: Logger;
}

type Plan =
  | { send: OutgoingMessage; transport: Transport; history: HistoryEntry; status?: TicketStatus }
  | { skip: string; history?: HistoryEntry };

/**
 * Performs one side effect of a ticket exactly once: the effect record is checked and started before
 * sending and completed (with the history entry, in one write) after. A crash between the send and
 * the completion is the only window in which a retry may send again; transports use the effect's
 * deterministic message id so receivers and the outbox can recognise the repeat.
 */
export class EffectsStage {
  constructor(private readonly deps: EffectsStageDeps) {}

  async process(job: EffectJob): Promise<string> {
    const { store, log } = this.deps;
    const ticket = await store.getTicket(job.ticketId);
    if (!ticket) throw new PermanentError(`ticket ${job.ticketId} does not exist`);
    const kind = job.effect === 'follow-up' ? `follow-up:${hashId(job.ref ?? '')}` : job.effect;
    const key = effectKey(ticket.id, kind);
    const state = await store.beginEffect(key, ticket.id, kind);
    if (state === 'done') return 'already done';
    if (state === 'started') log.warn({ ticket: ticket.ticketNumber, effect: kind }, 'earlier attempt did not finish; performing again');

    const plan = this.plan(job, ticket);
    if ('skip' in plan) {
      await store.completeEffect(key, `skipped: ${plan.skip}`, plan.history ? { entry: plan.history } : undefined);
      return `skipped: ${plan.skip}`;
    }
    const detail = await plan.transport.deliver(plan.send);
    await store.completeEffect(key, detail, { entry: plan.history, ...(plan.status ? { status: plan.status } : {}) });
    log.info({ ticket: ticket.ticketNumber, effect: job.effect, detail }, 'effect done');
    return detail;
  }

  private plan(job: EffectJob, ticket: Ticket): Plan {
    switch (job.effect) {
      case 'respond':
        return this.planAcknowledgement(ticket);
      case 'route':
        return this.planTeamMail(ticket);
      case 'follow-up':
        return this.planFollowUp(ticket, job.ref ?? '');
    }
  }

  private planAcknowledgement(ticket: Ticket): Plan {
    const now = new Date().toISOString();
    const skipped = (reason: string): Plan => ({ skip: reason, history: { at: now, event: 'acknowledgement-skipped', note: reason } });
    if (!ticket.autoReplyAllowed) return skipped(ticket.meta.autoReplyBlocked ?? 'balasan otomatis tidak diizinkan untuk pesan ini');
    const transport = this.deps.citizenTransports[ticket.channel];
    if (!transport) return skipped('kanal ini tidak memiliki balasan otomatis; respon awal disampaikan langsung oleh petugas');
    const recipient = recipientOf(ticket);
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
        id: `${ticket.ticketNumber}.ack`,
        purpose: 'acknowledgement',
        channel: ticket.channel,
        to: [recipient],
        subject,
        text,
        ...(inReplyTo ? { inReplyTo, references: [...ticket.references, inReplyTo] } : {}),
        replyTo: this.taggedReplyAddress(ticket),
      },
      transport,
      history: { at: now, event: 'acknowledged', note: `respon awal dikirim ke ${ticket.channel}` },
      status: 'acknowledged',
    };
  }

  private planTeamMail(ticket: Ticket, followUp?: { text: string; receivedAt: string; ref: string }): Plan {
    const team = this.deps.teams[ticket.team];
    if (!team) throw new PermanentError(`team "${ticket.team}" of ${ticket.ticketNumber} is not configured`);
    const category = this.deps.categories[ticket.classification.category];
    const { subject, text } = composeTeamMail({
      ticket,
      label: category.label,
      targetText: describeTarget(parseTarget(category.target)),
      teamName: team.name,
      timeZone: this.deps.timeZone,
      maskNik: this.deps.maskNikInTeamMail,
      ...(followUp ? { followUp } : {}),
    });
    const attachments = followUp
      ? []
      : ticket.attachments.filter((a) => a.storedAt).map((a) => ({ filename: a.filename, contentType: a.contentType, path: a.storedAt! }));
    return {
      send: {
        id: followUp ? `${ticket.ticketNumber}.fu-${hashId(followUp.ref).slice(0, 12)}` : `${ticket.ticketNumber}.team`,
        purpose: followUp ? 'team-follow-up' : 'team-ticket',
        channel: 'email',
        to: team.emails,
        subject,
        text,
        replyTo: this.taggedReplyAddress(ticket),
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
    const entry = ticket.history.find((h) => h.event === 'follow-up' && h.ref === ref);
    if (!entry) throw new PermanentError(`follow-up ${ref} is not recorded on ${ticket.ticketNumber}`);
    return this.planTeamMail(ticket, { text: entry.note ?? '', receivedAt: entry.at, ref });
  }

  /** pengaduan+ADU-2026-000123@…: a staff or citizen reply to it finds its ticket without guessing. */
  private taggedReplyAddress(ticket: Ticket): string {
    const [local, domain] = this.deps.fromAddress.split('@');
    return `${local}+${ticket.ticketNumber}@${domain}`;
  }
}

function recipientOf(ticket: Ticket): string | undefined {
  const c = ticket.complainant;
  switch (ticket.channel) {
    case 'email':
      return c.email;
    case 'messenger':
    case 'instagram':
    case 'perkebbas':
      return c.platformUserId;
    default:
      return c.phone;
  }
}
