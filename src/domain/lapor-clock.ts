import { officeDate, zoneOffsetMinutes, type OfficeCalendar, type Weekday } from './sla';

/**
 * SP4N-LAPOR!'s own clock (docs/channel-lapor.md), beside the office's target for the kind: the agency's
 * follow-up (tindak lanjut) is due 5 working days after LAPOR! forwarded the report to the regency, and the
 * report counts as closed (selesai) 10 working days after the follow-up. LAPOR! forwards within 3 working
 * days of the submission. Working days are the office calendar's (weekends and holidays closed).
 *
 * Counting: the day of the start is day 0; working day k is the k-th open office date after it. A deadline
 * of k days is the closing time of working day k; "k days have passed" is the opening of working day k + 1.
 * Pure: the calendar is passed in.
 */

export interface LaporClockSettings {
  /** LAPOR!'s deadline for the agency's follow-up, after forwarding (5). */
  followUpWorkingDays: number;
  /** After the follow-up, the report closes when nobody replies within this many working days (10). */
  closureWorkingDays: number;
  /** Reminders once this many working days have passed since the start (3 and 4). */
  reminderWorkingDays: readonly number[];
}

export const LAPOR_VERIFICATION_WORKING_DAYS = 3;

export const DEFAULT_LAPOR_CLOCK: LaporClockSettings = {
  followUpWorkingDays: 5,
  closureWorkingDays: 10,
  reminderWorkingDays: [3, 4],
};

/** What the LAPOR! clock counts from: the forwarding date when known, else the disposition to the office. */
export type LaporClockBasis = 'forwarded' | 'disposed';

export interface LaporDates {
  /** LAPOR! forwarded the report to the regency. */
  forwardedAt?: string | undefined;
  /** The Admin Koordinator disposed it to the office. */
  disposedAt?: string | undefined;
}

export interface LaporClock {
  basis: LaporClockBasis;
  startAt: string;
  /** Closing time of the last working day LAPOR! allows for the follow-up. */
  followUpDueAt: string;
  /** Each reminder: when its working days have passed (soonest first). */
  reminders: Array<{ days: number; at: string }>;
}

export function laporClock(
  dates: LaporDates,
  settings: LaporClockSettings,
  calendar: OfficeCalendar,
): LaporClock | undefined {
  const basis: LaporClockBasis | undefined = dates.forwardedAt
    ? 'forwarded'
    : dates.disposedAt
      ? 'disposed'
      : undefined;
  if (!basis) return undefined;
  const startAt = (basis === 'forwarded' ? dates.forwardedAt : dates.disposedAt)!;
  const reminders = [...new Set(settings.reminderWorkingDays)]
    .filter((days) => days > 0 && days < settings.followUpWorkingDays)
    .sort((a, b) => a - b)
    .map((days) => ({ days, at: workingDay(startAt, days + 1, calendar).opensAt }));
  return {
    basis,
    startAt,
    followUpDueAt: workingDay(startAt, settings.followUpWorkingDays, calendar).closesAt,
    reminders,
  };
}

/** When the report counts as closed in LAPOR!: the closing time of the N-th working day after the follow-up. */
export function laporClosureAt(followUpAt: string, settings: LaporClockSettings, calendar: OfficeCalendar): string {
  return workingDay(followUpAt, settings.closureWorkingDays, calendar).closesAt;
}

/** Whether LAPOR! forwarded the report within its 3 working days of the submission. */
export function forwardedInTime(submittedAt: string, forwardedAt: string, calendar: OfficeCalendar): boolean {
  return (
    Date.parse(forwardedAt) <= Date.parse(workingDay(submittedAt, LAPOR_VERIFICATION_WORKING_DAYS, calendar).closesAt)
  );
}

/** The newest reminder whose time has come at `now`, if any: an older one is not sent after a newer one is due. */
export function dueLaporReminder(clock: LaporClock, now: number): { days: number; at: string } | undefined {
  let due: { days: number; at: string } | undefined;
  for (const reminder of clock.reminders) if (Date.parse(reminder.at) <= now) due = reminder;
  return due;
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;

/**
 * The `n`-th open office date after the office date of `fromIso` (n ≥ 1), with its opening and closing
 * instants. A calendar with no open weekday counts every day, from midnight to midnight.
 */
export function workingDay(
  fromIso: string,
  n: number,
  calendar: OfficeCalendar,
): { date: string; opensAt: string; closesAt: string } {
  const anyOpen = Object.values(calendar.hours).some(Boolean);
  const holidays = new Set(calendar.holidays);
  let date = officeDate(fromIso, calendar.timeZone);
  let counted = 0;
  for (let guard = 0; guard < 3660; guard++) {
    date = nextDate(date);
    const span = anyOpen ? openSpan(date, calendar, holidays) : ([0, 24 * 60] as const);
    if (!span) continue;
    counted += 1;
    if (counted >= n)
      return {
        date,
        opensAt: localInstant(date, span[0], calendar.timeZone),
        closesAt: localInstant(date, span[1], calendar.timeZone),
      };
  }
  throw new Error('no working day found within ten years of the calendar');
}

function openSpan(date: string, calendar: OfficeCalendar, holidays: ReadonlySet<string>): [number, number] | undefined {
  if (holidays.has(date)) return undefined;
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  const span = calendar.hours[weekday];
  const match = span ? /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(span) : null;
  if (!match) return undefined;
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  return [h1 * 60 + m1, h2 * 60 + m2];
}

function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** `minutes` after local midnight of `date` in `timeZone`, as an ISO instant. */
function localInstant(date: string, minutes: number, timeZone: string): string {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  const offset = zoneOffsetMinutes(wall, timeZone);
  return new Date(wall - offset * MINUTE).toISOString();
}
