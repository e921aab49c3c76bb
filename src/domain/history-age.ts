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

/**
 * Where a record's age starts: when it reached the office. That is its own time, unless the source says it
 * arrived later (a LAPOR! report submitted a week ago and disposed to the office today is today's work).
 * An arrival before the record's own time is no arrival: the later of the two counts.
 */
export function ageStart(record: { receivedAt: string; arrivedAt?: string | undefined }): string {
  const arrived = record.arrivedAt ? Date.parse(record.arrivedAt) : Number.NaN;
  return arrived > Date.parse(record.receivedAt) ? record.arrivedAt! : record.receivedAt;
}

/** Source time this much before the service took a record in makes it "late" in the team mail. */
export const LATE_AFTER_MS = 60 * 60_000;

/** Whether a live record reached the service late (a backlog after an outage, a report typed in days later). */
export function arrivedLate(receivedAt: string, takenInAt: string): boolean {
  return Date.parse(takenInAt) - Date.parse(receivedAt) > LATE_AFTER_MS;
}
