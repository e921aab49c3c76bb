import { computeDueAt, type OfficeCalendar } from './sla';
import type { TargetTime } from './target';

/**
 * Whether a record read on a source's first read is history: its age, counted on the office calendar
 * like a target time, has run out by `now` (default 2 working days). A record older than that was
 * handled, or given up, before the service knew the source; answering it now would be noise.
 */
export function isHistorical(receivedAt: string, now: Date, olderThan: TargetTime, calendar: OfficeCalendar): boolean {
  return Date.parse(computeDueAt(receivedAt, olderThan, calendar)) <= now.getTime();
}

/** Source time this much before the service took a record in makes it "late" in the team mail. */
export const LATE_AFTER_MS = 60 * 60_000;

/** Whether a live record reached the service late (a backlog after an outage, a report typed in days later). */
export function arrivedLate(receivedAt: string, takenInAt: string): boolean {
  return Date.parse(takenInAt) - Date.parse(receivedAt) > LATE_AFTER_MS;
}
