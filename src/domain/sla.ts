/**
 * SLA clock on the office calendar: target time is counted in working time only. A complaint that
 * arrives after hours starts counting at the next opening. Pure: the calendar is passed in.
 */

import type { TargetTime } from './target';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface OfficeCalendar {
  timeZone: string;
  /** "08:00-16:00" per weekday; a missing day is closed. */
  hours: Partial<Record<Weekday, string>>;
  /** Closed dates (YYYY-MM-DD, office time zone): holidays and cuti bersama. */
  holidays: string[];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Jakarta: +420). Remembered per quarter
 * hour: every zone's offset changes only at whole quarter hours (UTC), and formatToParts is the SLA
 * clock's main cost on the pipeline's hot path.
 */
export function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(instant / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, (offset = computeZoneOffset(instant, timeZone)));
  }
  return offset;
}

const QUARTER_HOUR = 15 * MINUTE;
const offsets = new Map<string, number>();

function computeZoneOffset(instant: number, timeZone: string): number {
  const parts = partsFormatter(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / MINUTE);
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function parseSpan(span: string): [number, number] {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(span);
  if (!match) throw new Error(`working hours "${span}" are not HH:MM-HH:MM`);
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  return [h1 * 60 + m1, h2 * 60 + m2];
}

/** Local midnight (as a UTC instant) of the office day containing `instant`. */
function localDayStart(instant: number, timeZone: string): { start: number; date: string; weekday: Weekday } {
  const offset = zoneOffsetMinutes(instant, timeZone) * MINUTE;
  const local = new Date(instant + offset);
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return {
    start: midnightLocal - offset,
    date: new Date(midnightLocal).toISOString().slice(0, 10),
    weekday: WEEKDAYS[local.getUTCDay()] as Weekday,
  };
}

/** The office calendar date (YYYY-MM-DD) of an instant. */
export function officeDate(iso: string, timeZone: string): string {
  return localDayStart(Date.parse(iso), timeZone).date;
}

/**
 * Due time. Minute targets: received time + that much working time. Day targets: from the first
 * working moment, the same time of day N working days later (at that day's closing time at the latest).
 */
export function computeDueAt(receivedAt: string, target: TargetTime, calendar: OfficeCalendar): string {
  if (target.unit === 'days') return addWorkingDays(receivedAt, target.days, calendar);
  return addWorkingMinutes(receivedAt, target.minutes, calendar);
}

function addWorkingDays(receivedAt: string, days: number, calendar: OfficeCalendar): string {
  const start = Date.parse(addWorkingMinutes(receivedAt, 0, calendar));
  const startDay = localDayStart(start, calendar.timeZone);
  const timeOfDay = start - startDay.start;
  let cursor = startDay.start;
  let counted = 0;
  for (let guard = 0; guard < 3660; guard++) {
    cursor = localDayStart(cursor + DAY + 12 * 60 * MINUTE, calendar.timeZone).start;
    const day = localDayStart(cursor, calendar.timeZone);
    const span = openSpan(day, calendar);
    if (!span) continue;
    counted += 1;
    if (counted === days) {
      const [openMin, closeMin] = span;
      const at = Math.min(Math.max(day.start + timeOfDay, day.start + openMin * MINUTE), day.start + closeMin * MINUTE);
      return new Date(at).toISOString();
    }
  }
  throw new Error('no working day found within ten years of the calendar');
}

function openSpan(day: { date: string; weekday: Weekday }, calendar: OfficeCalendar): [number, number] | undefined {
  const span = calendar.hours[day.weekday];
  return span && !calendar.holidays.includes(day.date) ? parseSpan(span) : undefined;
}

function addWorkingMinutes(receivedAt: string, minutes: number, calendar: OfficeCalendar): string {
  let remaining = minutes * MINUTE;
  let cursor = Date.parse(receivedAt);
  const holidays = new Set(calendar.holidays);
  const hasOpenDay = Object.values(calendar.hours).some(Boolean);
  if (!hasOpenDay) return new Date(cursor + remaining).toISOString();
  for (let guard = 0; guard < 3660; guard++) {
    const day = localDayStart(cursor, calendar.timeZone);
    const span = calendar.hours[day.weekday];
    if (span && !holidays.has(day.date)) {
      const [openMin, closeMin] = parseSpan(span);
      const open = day.start + openMin * MINUTE;
      const close = day.start + closeMin * MINUTE;
      const from = Math.max(cursor, open);
      if (from < close) {
        if (from + remaining <= close) return new Date(from + remaining).toISOString();
        remaining -= close - from;
      }
    }
    cursor = localDayStart(day.start + DAY + 12 * 60 * MINUTE, calendar.timeZone).start;
  }
  throw new Error('no working time found within ten years of the calendar');
}

/** Working minutes elapsed between two instants (for first-response and resolution figures). */
export function workingMinutesBetween(fromIso: string, toIso: string, calendar: OfficeCalendar): number {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (to <= from) return 0;
  const holidays = new Set(calendar.holidays);
  if (!Object.values(calendar.hours).some(Boolean)) return (to - from) / MINUTE;
  let total = 0;
  let cursor = from;
  for (let guard = 0; guard < 3660 && cursor < to; guard++) {
    const day = localDayStart(cursor, calendar.timeZone);
    const span = calendar.hours[day.weekday];
    if (span && !holidays.has(day.date)) {
      const [openMin, closeMin] = parseSpan(span);
      const start = Math.max(cursor, day.start + openMin * MINUTE);
      const end = Math.min(to, day.start + closeMin * MINUTE);
      if (end > start) total += end - start;
    }
    cursor = localDayStart(day.start + DAY + 12 * 60 * MINUTE, calendar.timeZone).start;
  }
  return Math.round(total / MINUTE);
}
