import type { Ticket } from './complaint';
import { computeDueAt, workingMinutesBetween, type OfficeCalendar } from './sla';

/**
 * When the team is reminded and when the supervisor hears of an overdue ticket: the reminder after
 * `reminderShare` of the ticket's working time to its due time, the escalation at the due time.
 */
export function slaCheckpoints(
  ticket: Pick<Ticket, 'receivedAt' | 'dueAt'>,
  reminderShare: number,
  calendar: OfficeCalendar,
): { remindAt: string; escalateAt: string } {
  const total = workingMinutesBetween(ticket.receivedAt, ticket.dueAt, calendar);
  const remindAt = computeDueAt(
    ticket.receivedAt,
    { unit: 'minutes', minutes: Math.max(1, Math.round(total * reminderShare)) },
    calendar,
  );
  return { remindAt: remindAt < ticket.dueAt ? remindAt : ticket.dueAt, escalateAt: ticket.dueAt };
}
