import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import { CHANNELS, type ChannelKey } from '../domain/channels';
import { composeStatusAnswer, composeStatusNotFound } from '../domain/citizens/status-answer';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import { PermanentError } from '../lib/errors';
import type { OutgoingMessage, Transport } from '../outbound/message';
import type { Plan } from './effect-plan';
import { senderReplyPlan } from './reply-to-sender';

export interface StatusPlanDeps {
  categories: Record<CategoryKey, CategoryConfig>;
  teams: Record<string, { name: string }>;
  timeZone: string;
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  citizenReplyAddress(ticket: Ticket): string;
}

/** What the "not found" answer needs, read from the message's intake entry (the job carries only references). */
export type NotFoundPlan = { send: OutgoingMessage; transport: Transport } | { skip: string };

/**
 * The `status` and `status-not-found` effects (issue #22 §2): the answer to "sudah sampai mana?" on the channel
 * the question came on. Pure: the text comes from src/domain/citizens/status-answer, the ticket as it stands
 * when the effect runs.
 */
export class StatusPlans {
  constructor(private readonly deps: StatusPlanDeps) {}

  /** The status of the sender's own ticket, to the contact the question was recorded with. */
  answer(ticket: Ticket, ref: string): Plan {
    const entry = ticket.history.find((h) => h.ref === ref && h.event === 'status-question');
    if (!entry) throw new PermanentError(`status question ${ref} is not recorded on ${ticket.ticketNumber}`);
    if (!entry.statusAnswer) return { skip: 'not answered (hourly cap)' };
    const { channel, to } = entry.statusAnswer;
    const label = CHANNELS[channel].label;
    return senderReplyPlan({
      ticket,
      ref,
      channel,
      to,
      transport: this.deps.citizenTransports[channel],
      idKind: 'st',
      purpose: 'status-answer',
      compose: () =>
        composeStatusAnswer({
          ticket,
          label: this.deps.categories[ticket.classification.category].label,
          teamName: this.deps.teams[ticket.team]?.name ?? ticket.team,
          timeZone: this.deps.timeZone,
          channel,
        }),
      replyTo: this.deps.citizenReplyAddress(ticket),
      sentNote: `status tiket dikirim otomatis kepada penanya lewat ${label}`,
      skippedNote: `status tidak dijawab otomatis: ${label} tanpa balasan otomatis`,
    });
  }

  /**
   * "Tidak ditemukan untuk akun ini" to the sender of `complaint`: the same words whatever number was asked for,
   * and no ticket's number, reply address or Message-ID in it.
   */
  notFound(complaint: ComplaintInput, owner: string): NotFoundPlan {
    const { channel } = complaint;
    const to = complaint.complainant[CHANNELS[channel].replyContact];
    const transport = this.deps.citizenTransports[channel];
    if (!transport) return { skip: 'no automatic reply on that channel' };
    if (!to) return { skip: 'no address to answer' };
    const { subject, text } = composeStatusNotFound(channel);
    return {
      send: {
        // A citizen mail id names a ticket; this answer names none (its owner is the message).
        id: `${owner}.status-not-found`,
        purpose: 'status-answer',
        channel,
        to: [to],
        subject,
        text,
        ...(channel === 'email' ? { inReplyTo: complaint.sourceId, references: [complaint.sourceId] } : {}),
      },
      transport,
    };
  }
}
