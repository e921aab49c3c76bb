import { CHANNELS } from './channels';
import type { HistoryEvent, Ticket } from './complaint';
import { workingMinutesBetween, type OfficeCalendar } from './sla';

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

/** What counts as answering the citizen: the automatic initial response, or the solution (which resolves). */
const RESPONSE_EVENTS: ReadonlySet<HistoryEvent> = new Set(['acknowledged', 'resolved']);

export function ticketTimes(ticket: Ticket, calendar: OfficeCalendar, now: Date): TicketTimes {
  const firstResponseAt = CHANNELS[ticket.channel].answeredOnReceipt
    ? ticket.receivedAt
    : ticket.history.find((h) => RESPONSE_EVENTS.has(h.event))?.at;
  const resolvedAt = ticket.status === 'resolved' ? ticket.history.find((h) => h.event === 'resolved')?.at : undefined;
  // Imported history is never overdue: the office did not know of it in time (docs/importing-history.md).
  const overdue = !ticket.historicalImport && !resolvedAt && Date.parse(ticket.dueAt) < now.getTime();
  const times: TicketTimes = { overdue };
  if (firstResponseAt) {
    times.firstResponseAt = firstResponseAt;
    times.firstResponseMinutes = workingMinutesBetween(ticket.receivedAt, firstResponseAt, calendar);
  }
  if (resolvedAt) {
    times.resolvedAt = resolvedAt;
    times.resolutionMinutes = workingMinutesBetween(ticket.receivedAt, resolvedAt, calendar);
    times.resolvedWithinTarget = Date.parse(resolvedAt) <= Date.parse(ticket.dueAt);
  }
  return times;
}
