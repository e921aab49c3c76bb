import { CHANNELS } from './channels';
import type { HistoryEvent, Ticket } from './complaint';
import { workingMinutesBetween, type OfficeCalendar } from './sla';
import { lastOf, waitingMinutes } from './ticket-life';

/**
 * First-response and resolution figures of a ticket, read from its history (the history is the record;
 * nothing is stored twice). Minutes are working minutes on the office calendar, like the target.
 */
export interface TicketTimes {
  firstResponseAt?: string;
  resolvedAt?: string;
  firstResponseMinutes?: number;
  resolutionMinutes?: number;
  /** Resolved no later than its due time. */
  resolvedWithinTarget?: boolean;
  /** Not resolved and past its due time at `now`. */
  overdue: boolean;
}

/**
 * What counts as answering the citizen: the automatic initial response, the solution (which resolves), or
 * a question asked of them (the ticket then waits).
 */
const RESPONSE_EVENTS: ReadonlySet<HistoryEvent> = new Set(['acknowledged', 'resolved', 'waiting-citizen']);

export function ticketTimes(ticket: Ticket, calendar: OfficeCalendar, now: Date): TicketTimes {
  const firstResponseAt = CHANNELS[ticket.channel].answeredOnReceipt
    ? ticket.receivedAt
    : ticket.history.find((h) => RESPONSE_EVENTS.has(h.event))?.at;
  // The last resolution counts: a reopened ticket is resolved when its follow-up is.
  const resolvedAt =
    ticket.status === 'resolved' ? lastOf(ticket.history, (h) => h.event === 'resolved')?.at : undefined;
  // Imported history is never overdue: the office did not know of it in time (docs/importing-history.md).
  // Sent on to another agency (no wrong door): closed, never overdue.
  const closed = ticket.status === 'forwarded';
  const overdue = !ticket.historicalImport && !resolvedAt && !closed && Date.parse(ticket.dueAt) < now.getTime();
  const times: TicketTimes = { overdue };
  if (firstResponseAt) {
    times.firstResponseAt = firstResponseAt;
    times.firstResponseMinutes = workingMinutesBetween(ticket.receivedAt, firstResponseAt, calendar);
  }
  if (resolvedAt) {
    times.resolvedAt = resolvedAt;
    // Time spent waiting on the citizen is not the office's.
    const waited = waitingMinutes(ticket.history, resolvedAt, calendar);
    times.resolutionMinutes = Math.max(0, workingMinutesBetween(ticket.receivedAt, resolvedAt, calendar) - waited);
    times.resolvedWithinTarget = Date.parse(resolvedAt) <= Date.parse(ticket.dueAt);
  }
  return times;
}
