import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import type { ChannelKey } from '../domain/channels';
import type { Ticket, TicketStatus } from '../domain/complaint';
import { CHANNEL_LABELS } from '../domain/channels';
import {
  composeCallBackTask,
  composeEscalation,
  composeJoinedNotice,
  composeUnnamedJoinedNotice,
  composeReminder,
  composeSolution,
  describeUndeliveredAttachments,
} from '../domain/coordination-messages';
import { neutralizeAttachment } from '../outbound/forwarded-attachments';
import { citizenMailId } from '../domain/office-mail-ids';
import type { Transport } from '../outbound/message';
import type { Plan } from './effect-plan';
import { PermanentError } from '../lib/errors';
import { officeAnswered, slaPeriod } from '../domain/ticket-life';
import { hashId } from './queues';
import { otherContactsOf, recipientOf } from './reply-route';
import { senderReplyPlan } from './reply-to-sender';

export interface CoordinationDeps {
  categories: Record<CategoryKey, CategoryConfig>;
  teams: Record<string, { name: string; emails: string[] }>;
  timeZone: string;
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  teamTransport: Transport;
  /** Told of overdue tickets; empty: the team itself. */
  supervisorEmails: string[];
  reminderAtShare: number;
  /** Reply-To of mail to staff (with the ticket's token) and of mail to the citizen (without). */
  staffReplyAddress(ticket: Ticket): string;
  citizenReplyAddress(ticket: Ticket): string;
  /** Id (Message-ID) of mail to staff, carrying the ticket's token. */
  staffMailId(ticket: Ticket, suffix: string): string;
}

/** Plans for the effects after the first response: step 4's relay, and the SLA reminder and escalation. */
export class CoordinationPlans {
  constructor(private readonly deps: CoordinationDeps) {}

  /** A staff reply to the citizen on the ticket's channel, or a call-back task where there is no reply path. */
  relay(ticket: Ticket, ref: string): Plan {
    const reply = ticket.history.find((h) => h.event === 'staff-reply' && h.ref === ref);
    if (!reply) throw new PermanentError(`staff reply ${ref} is not recorded on ${ticket.ticketNumber}`);
    const files = (reply.attachments ?? [])
      .filter((a) => a.storedAt)
      .map((a) => neutralizeAttachment({ filename: a.filename, contentType: a.contentType, path: a.storedAt! }));
    const carriesFiles = FILE_CHANNELS.has(ticket.channel);
    // Where the channel cannot carry the files, the citizen is told how to get them.
    const channelLabel = CHANNEL_LABELS[ticket.channel] ?? ticket.channel;
    const untold =
      files.length && !carriesFiles
        ? `\n\n${describeUndeliveredAttachments(
            ticket.ticketNumber,
            files.map((f) => f.filename),
            channelLabel,
          )}`
        : '';
    const solution = `${reply.note ?? ''}${untold}`;
    const now = new Date().toISOString();
    // An answer that asks the citizen for something keeps the ticket open, waiting on them (SLA paused); a
    // forwarding notice (`aduan ticket forward`) closes it as forwarded.
    const life = reply.forward ? FORWARDED : lifeOfAnswer(ticket, reply.ask === true);
    const by = reply.by ? ` oleh ${reply.by}` : '';
    const transport = this.deps.citizenTransports[ticket.channel];
    const recipient = recipientOf(ticket);
    // A solution is written by a person, so only mail from a robot or mailing list is not answered.
    if (transport && recipient && !ticket.meta.automated) {
      const { subject, text } = composeSolution({ ticket, solution, timeZone: this.deps.timeZone, ask: life.ask });
      const inReplyTo = ticket.channel === 'email' ? ticket.sourceId : undefined;
      return {
        send: {
          id: citizenMailId(ticket.ticketNumber, `sol-${hashId(ref).slice(0, 12)}`),
          purpose: 'solution',
          channel: ticket.channel,
          to: [recipient],
          subject,
          text,
          ...(inReplyTo ? { inReplyTo, references: [...ticket.references, inReplyTo] } : {}),
          replyTo: this.deps.citizenReplyAddress(ticket),
          ...(carriesFiles && files.length ? { attachments: files } : {}),
          ...otherContactsOf(ticket),
        },
        transport,
        history: {
          at: now,
          event: life.event,
          note: `${life.ask ? 'pertanyaan' : 'solusi'}${by} dikirim kepada pelapor lewat ${ticket.channel}${life.ask ? '; menunggu tanggapan warga' : ''}`,
          ref,
        },
        ...(life.status ? { status: life.status } : {}),
      };
    }
    const team = this.team(ticket);
    const reason =
      !transport || !recipient
        ? 'kanal ini tidak memiliki jalur balasan otomatis'
        : 'pelapor tidak dapat dibalas otomatis (alamat sistem atau balasan otomatis)';
    const { subject, text } = composeCallBackTask({
      ticket,
      solution,
      teamName: team.name,
      reason,
      timeZone: this.deps.timeZone,
      ask: life.ask,
    });
    return {
      send: {
        id: this.deps.staffMailId(ticket, `cb-${hashId(ref).slice(0, 12)}`),
        purpose: 'team-follow-up',
        channel: 'email',
        to: team.emails,
        subject,
        text,
        replyTo: this.deps.staffReplyAddress(ticket),
        ...(files.length ? { attachments: files } : {}),
      },
      transport: this.deps.teamTransport,
      history: {
        at: now,
        event: life.event,
        note: `${life.ask ? 'pertanyaan' : 'solusi'}${by}: tugas menghubungi pelapor dikirim ke ${team.name}`,
        ref,
      },
      ...(life.status ? { status: life.status } : {}),
    };
  }

  /**
   * A repeat complaint joined this open ticket: the citizen is told its number on the channel they wrote
   * from (the history entry says which, and where to); a channel without a reply path is only noted. A sender
   * tied to the ticket only by a NIK (`nikOnly`, decided at intake) is told it joined, nothing of the ticket.
   */
  joined(ticket: Ticket, ref: string): Plan {
    const entry = ticket.history.find((h) => h.ref === ref && h.sameProblem);
    if (!entry?.sameProblem)
      throw new PermanentError(`joined complaint ${ref} is not recorded on ${ticket.ticketNumber}`);
    const { channel, to, nikOnly } = entry.sameProblem;
    const via = CHANNEL_LABELS[channel];
    return senderReplyPlan({
      ticket,
      ref,
      channel,
      to,
      transport: this.deps.citizenTransports[channel],
      idKind: 'join',
      purpose: 'acknowledgement',
      replyTo: this.deps.citizenReplyAddress(ticket),
      ...(nikOnly
        ? {
            unnamed: true,
            compose: composeUnnamedJoinedNotice,
            sentNote: `pengaduan ulang lewat ${via} digabung ke tiket ini; pengirim tertaut hanya karena NIK yang sama, diberi tahu tanpa nomor tiket`,
            skippedNote: `pengaduan ulang lewat ${via} digabung; pengirim tertaut hanya karena NIK yang sama: periksa identitasnya sebelum menyampaikan nomor tiket`,
          }
        : {
            compose: () => composeJoinedNotice({ ticket, label: this.label(ticket), timeZone: this.deps.timeZone }),
            sentNote: `pengaduan ulang lewat ${via} digabung ke tiket ini; nomor tiket disampaikan kepada pelapor`,
            skippedNote: `pengaduan ulang lewat ${via} digabung; nomor tiket disampaikan langsung oleh petugas`,
          }),
    });
  }

  /** `period`: the SLA period the reminder is for; one queued before a reopening is not sent after it. */
  remind(ticket: Ticket, period = 0): Plan {
    if (ticket.status === 'resolved') return { skip: 'ticket resolved before the reminder' };
    if (officeAnswered(ticket.status)) return { skip: `ticket ${ticket.status} before the reminder` };
    if (period !== slaPeriod(ticket.history)) return { skip: 'ticket reopened after the reminder was due' };
    if (ticket.status === 'waiting-citizen') return { skip: 'ticket waits on the citizen (SLA clock paused)' };
    const team = this.team(ticket);
    const { subject, text } = composeReminder({
      ticket,
      label: this.label(ticket),
      teamName: team.name,
      sharePercent: Math.round(this.deps.reminderAtShare * 100),
      timeZone: this.deps.timeZone,
    });
    return {
      send: {
        id: this.deps.staffMailId(ticket, periodSuffix('remind', period)),
        purpose: 'team-follow-up',
        channel: 'email',
        to: team.emails,
        subject,
        text,
        replyTo: this.deps.staffReplyAddress(ticket),
      },
      transport: this.deps.teamTransport,
      history: { at: new Date().toISOString(), event: 'reminder', note: `pengingat dikirim ke ${team.name}` },
    };
  }

  escalate(ticket: Ticket, period = 0): Plan {
    if (ticket.status === 'resolved') return { skip: 'ticket resolved before its due time' };
    if (officeAnswered(ticket.status)) return { skip: `ticket ${ticket.status} before its due time` };
    if (period !== slaPeriod(ticket.history)) return { skip: 'ticket reopened after its due time' };
    if (ticket.status === 'waiting-citizen') return { skip: 'ticket waits on the citizen (SLA clock paused)' };
    const team = this.team(ticket);
    const to = this.deps.supervisorEmails.length ? this.deps.supervisorEmails : team.emails;
    const now = new Date().toISOString();
    const { subject, text } = composeEscalation({
      ticket,
      label: this.label(ticket),
      teamName: team.name,
      now,
      timeZone: this.deps.timeZone,
    });
    return {
      send: {
        id: this.deps.staffMailId(ticket, periodSuffix('escalate', period)),
        purpose: 'team-follow-up',
        channel: 'email',
        to,
        subject,
        text,
        replyTo: this.deps.staffReplyAddress(ticket),
      },
      transport: this.deps.teamTransport,
      history: { at: now, event: 'escalated', note: `melewati batas waktu; diteruskan ke ${to.join(', ')}` },
    };
  }

  private team(ticket: Ticket): { name: string; emails: string[] } {
    const team = this.deps.teams[ticket.team];
    if (!team) throw new PermanentError(`team "${ticket.team}" of ${ticket.ticketNumber} is not configured`);
    return team;
  }

  private label(ticket: Ticket): string {
    return this.deps.categories[ticket.classification.category].label;
  }
}

/**
 * Channels whose transport carries files: email, Messenger/Instagram (each file uploaded with the Send API)
 * and WhatsApp (each file uploaded to the Cloud API, then sent by its media id); the transport names in the
 * text any file over the platform's limits or of a type the channel cannot carry.
 */
const FILE_CHANNELS: ReadonlySet<ChannelKey> = new Set(['email', 'messenger', 'instagram', 'whatsapp']);

interface AnswerLife {
  ask: boolean;
  event: 'waiting-citizen' | 'resolved' | 'note' | 'forwarded';
  status?: TicketStatus;
}

const FORWARDED: AnswerLife = { ask: false, event: 'forwarded', status: 'forwarded' };

/**
 * What relaying an answer records: an ask puts the ticket in waiting-citizen; a solution resolves it,
 * unless it is resolved already (a second answer is a note).
 */
function lifeOfAnswer(ticket: Ticket, ask: boolean): AnswerLife {
  if (ask) return { ask, event: 'waiting-citizen', status: 'waiting-citizen' };
  if (ticket.status === 'resolved') return { ask, event: 'note' };
  return { ask, event: 'resolved', status: 'resolved' };
}

export { recipientOf } from './reply-route';

/** The staff mail id suffix of a period's reminder or escalation: period 0 as before, then `remind-p2`. */
function periodSuffix(kind: 'remind' | 'escalate', period: number): string {
  return period > 0 ? `${kind}-p${period}` : kind;
}
