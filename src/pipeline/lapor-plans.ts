import type { LaporConnector } from '../channels/lapor/connector';
import type { Ticket } from '../domain/complaint';
import { laporClock, type LaporClock, type LaporClockSettings } from '../domain/lapor-clock';
import {
  composeLaporEscalation,
  composeLaporHandoff,
  composeLaporReminder,
  laporTeamMailLines,
} from '../domain/lapor-messages';
import { laporDatesOf, laporReportUrl } from '../domain/lapor-report';
import type { OfficeCalendar } from '../domain/sla';
import { PermanentError } from '../lib/errors';
import type { Transport } from '../outbound/message';
import type { Plan } from './effect-plan';
import { hashId } from './queues';

export interface LaporPlanSettings extends LaporClockSettings {
  /** `https://www.lapor.go.id/laporan/detil/{id}`. */
  reportUrl: string;
  /** Gets the follow-ups to paste and the reminders; empty: the ticket's team does. */
  adminPenghubung: string[];
}

export interface LaporPlanDeps {
  lapor: LaporPlanSettings;
  connector: LaporConnector;
  calendar: OfficeCalendar;
  timeZone: string;
  teams: Record<string, { name: string; emails: string[] }>;
  teamTransport: Transport;
  supervisorEmails: string[];
  staffReplyAddress(ticket: Ticket): string;
  staffMailId(ticket: Ticket, suffix: string): string;
}

/**
 * Plans of a LAPOR! report's own effects (issue #23): the follow-up handed to the Admin Penghubung
 * (instead of a reply the reporter cannot be sent), and the reminders and escalation on LAPOR!'s clock.
 * Each is an effect like any other, so it is sent once across crashes and retries.
 */
export class LaporPlans {
  constructor(private readonly deps: LaporPlanDeps) {}

  clockOf(ticket: Ticket): LaporClock | undefined {
    return laporClock(laporDatesOf(ticket), this.deps.lapor, this.deps.calendar);
  }

  /** What the team mail of a LAPOR! report adds. */
  teamMailLines(ticket: Ticket): string[] {
    return laporTeamMailLines(this.textOf(ticket));
  }

  /** A staff answer to a LAPOR! report: through the connector (manual: a mail to the Admin Penghubung). */
  async handoff(ticket: Ticket, ref: string): Promise<Plan> {
    const reply = ticket.history.find((h) => h.event === 'staff-reply' && h.ref === ref);
    if (!reply) throw new PermanentError(`staff reply ${ref} is not recorded on ${ticket.ticketNumber}`);
    const text = this.textOf(ticket);
    const trackingId = ticket.meta.laporTrackingId ?? ticket.sourceId;
    const answer = reply.note ?? '';
    const now = new Date().toISOString();
    const status = reply.forward ? ('forwarded' as const) : ('lapor-ready' as const);
    const posted = await this.deps.connector.postFollowUp({
      trackingId,
      ticketNumber: ticket.ticketNumber,
      answer,
      reportUrl: text.reportUrl,
    });
    if (posted.kind === 'posted')
      return {
        skip: `posted to LAPOR! (${posted.reference})`,
        history: { at: now, event: 'lapor-posted', ref, note: `diunggah otomatis ke LAPOR! (${posted.reference})` },
      };
    const to = this.adminOrTeam(ticket);
    const { subject, text: body } = composeLaporHandoff({ ...text, answer, by: reply.by });
    return {
      send: {
        id: this.deps.staffMailId(ticket, `lapor-${hashId(ref).slice(0, 12)}`),
        purpose: 'team-follow-up',
        channel: 'email',
        to,
        subject,
        text: body,
        replyTo: this.deps.staffReplyAddress(ticket),
      },
      transport: this.deps.teamTransport,
      history: {
        at: now,
        event: 'lapor-handoff',
        ref,
        note: `tindak lanjut siap diunggah dikirim ke Admin Penghubung (${to.join(', ')}); ${posted.instructions}`.slice(
          0,
          2000,
        ),
      },
      status,
    };
  }

  remind(ticket: Ticket, days: number): Plan {
    const closed = this.closed(ticket);
    if (closed) return { skip: closed };
    const team = this.team(ticket);
    const to = [...new Set([...team.emails, ...this.deps.lapor.adminPenghubung])];
    const { subject, text } = composeLaporReminder({
      ...this.textOf(ticket),
      days,
      teamName: team.name,
      answered: ticket.status === 'lapor-ready',
    });
    return {
      send: {
        id: this.deps.staffMailId(ticket, `lapor-remind-${days}`),
        purpose: 'team-follow-up',
        channel: 'email',
        to,
        subject,
        text,
        replyTo: this.deps.staffReplyAddress(ticket),
      },
      transport: this.deps.teamTransport,
      history: {
        at: new Date().toISOString(),
        event: 'lapor-reminder',
        note: `pengingat LAPOR! (${days} hari kerja) dikirim ke ${to.join(', ')}`,
      },
    };
  }

  escalate(ticket: Ticket): Plan {
    const closed = this.closed(ticket);
    if (closed) return { skip: closed };
    const team = this.team(ticket);
    const to = this.deps.supervisorEmails.length ? this.deps.supervisorEmails : team.emails;
    const now = new Date().toISOString();
    const { subject, text } = composeLaporEscalation({ ...this.textOf(ticket), teamName: team.name, now });
    return {
      send: {
        id: this.deps.staffMailId(ticket, 'lapor-escalate'),
        purpose: 'team-follow-up',
        channel: 'email',
        to,
        subject,
        text,
        replyTo: this.deps.staffReplyAddress(ticket),
      },
      transport: this.deps.teamTransport,
      history: { at: now, event: 'lapor-escalated', note: `melewati batas LAPOR!; diteruskan ke ${to.join(', ')}` },
    };
  }

  /** Why no reminder or escalation is due any more, if so. */
  private closed(ticket: Ticket): string | undefined {
    if (ticket.history.some((h) => h.event === 'lapor-posted')) return 'follow-up already posted to LAPOR!';
    if (ticket.status === 'resolved' || ticket.status === 'forwarded') return `ticket ${ticket.status}`;
    return undefined;
  }

  private adminOrTeam(ticket: Ticket): string[] {
    return this.deps.lapor.adminPenghubung.length ? this.deps.lapor.adminPenghubung : this.team(ticket).emails;
  }

  private textOf(ticket: Ticket) {
    return {
      ticket,
      timeZone: this.deps.timeZone,
      clock: this.clockOf(ticket),
      reportUrl: laporReportUrl(ticket, this.deps.lapor.reportUrl),
    };
  }

  private team(ticket: Ticket): { name: string; emails: string[] } {
    const team = this.deps.teams[ticket.team];
    if (!team) throw new PermanentError(`team "${ticket.team}" of ${ticket.ticketNumber} is not configured`);
    return team;
  }
}
