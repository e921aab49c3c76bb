import {
  DEFAULT_LAPOR_CLOCK,
  dueLaporReminder,
  forwardedInTime,
  laporClock,
  laporClosureAt,
} from '../../../src/domain/lapor-clock';
import type { OfficeCalendar } from '../../../src/domain/sla';

/** The shipped calendar's shape: Mon–Thu 08:00–16:00, Fri 08:00–16:30 WIB; Christmas and New Year closed. */
const DAIRI: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'],
};

describe('LAPOR! clock: follow-up due 5 working days after forwarding, on the office calendar', () => {
  test.each([
    // [case, forwardedAt (UTC), follow-up due (UTC), reminder at 3, reminder at 4]
    [
      'Monday 10:00 WIB: due the next Monday at closing',
      '2026-12-07T03:00:00Z',
      '2026-12-14T09:00:00.000Z',
      '2026-12-11T01:00:00.000Z',
      '2026-12-14T01:00:00.000Z',
    ],
    [
      'Monday 23:30 WIB (still Monday in the office): the same',
      '2026-12-07T16:30:00Z',
      '2026-12-14T09:00:00.000Z',
      '2026-12-11T01:00:00.000Z',
      '2026-12-14T01:00:00.000Z',
    ],
    [
      'Tuesday 01:00 WIB (Monday in UTC): counts from Tuesday',
      '2026-12-07T18:00:00Z',
      '2026-12-15T09:00:00.000Z',
      '2026-12-14T01:00:00.000Z',
      '2026-12-15T01:00:00.000Z',
    ],
    [
      'Saturday: the weekend is not counted; due Friday at 16:30',
      '2026-12-12T02:00:00Z',
      '2026-12-18T09:30:00.000Z',
      '2026-12-17T01:00:00.000Z',
      '2026-12-18T01:00:00.000Z',
    ],
    [
      'Tuesday before Christmas: 24–26 Dec and the Sunday are skipped',
      '2026-12-22T02:00:00Z',
      '2026-12-31T09:00:00.000Z',
      '2026-12-30T01:00:00.000Z',
      '2026-12-31T01:00:00.000Z',
    ],
    [
      'Wednesday before New Year: 1 Jan and the weekend are skipped',
      '2026-12-30T02:00:00Z',
      '2027-01-07T09:00:00.000Z',
      '2027-01-06T01:00:00.000Z',
      '2027-01-07T01:00:00.000Z',
    ],
  ])('%s', (_case, forwardedAt, due, remind3, remind4) => {
    const clock = laporClock({ forwardedAt, disposedAt: '2027-02-01T00:00:00Z' }, DEFAULT_LAPOR_CLOCK, DAIRI)!;
    expect(clock.basis).toBe('forwarded');
    expect(clock.startAt).toBe(forwardedAt);
    expect(clock.followUpDueAt).toBe(due);
    expect(clock.reminders).toEqual([
      { days: 3, at: remind3 },
      { days: 4, at: remind4 },
    ]);
  });

  test('without the forwarding date the disposition date counts, and the clock says so', () => {
    const clock = laporClock({ disposedAt: '2026-12-11T08:00:00Z' }, DEFAULT_LAPOR_CLOCK, DAIRI)!;
    expect(clock.basis).toBe('disposed');
    expect(clock.followUpDueAt).toBe('2026-12-18T09:30:00.000Z');
    expect(laporClock({}, DEFAULT_LAPOR_CLOCK, DAIRI)).toBeUndefined();
  });

  test('reminders: configurable, only before the deadline, soonest first, duplicates once', () => {
    const clock = laporClock(
      { forwardedAt: '2026-12-07T03:00:00Z' },
      { ...DEFAULT_LAPOR_CLOCK, reminderWorkingDays: [4, 1, 4, 5, 9] },
      DAIRI,
    )!;
    expect(clock.reminders.map((r) => r.days)).toEqual([1, 4]);
    expect(clock.reminders[0]!.at).toBe('2026-12-09T01:00:00.000Z'); // Wednesday 08:00: one full day has passed
  });

  test('the reminder due is the newest whose time has come; none before the first', () => {
    const clock = laporClock({ forwardedAt: '2026-12-07T03:00:00Z' }, DEFAULT_LAPOR_CLOCK, DAIRI)!;
    expect(dueLaporReminder(clock, Date.parse('2026-12-11T00:59:00Z'))).toBeUndefined();
    expect(dueLaporReminder(clock, Date.parse('2026-12-11T01:00:00Z'))?.days).toBe(3);
    expect(dueLaporReminder(clock, Date.parse('2026-12-14T05:00:00Z'))?.days).toBe(4);
  });

  test('closure expected 10 working days after the follow-up, across Christmas and New Year', () => {
    expect(laporClosureAt('2026-12-17T04:00:00Z', DEFAULT_LAPOR_CLOCK, DAIRI)).toBe('2027-01-05T09:00:00.000Z');
    expect(laporClosureAt('2026-12-07T04:00:00Z', DEFAULT_LAPOR_CLOCK, DAIRI)).toBe('2026-12-21T09:00:00.000Z');
  });

  test("LAPOR!'s own 3 working days from submission to forwarding", () => {
    expect(forwardedInTime('2026-12-07T03:00:00Z', '2026-12-10T08:59:00Z', DAIRI)).toBe(true);
    expect(forwardedInTime('2026-12-07T03:00:00Z', '2026-12-10T09:01:00Z', DAIRI)).toBe(false);
    // Submitted on Christmas Eve: the holidays and the weekend do not count.
    expect(forwardedInTime('2026-12-24T03:00:00Z', '2026-12-30T08:00:00Z', DAIRI)).toBe(true);
  });

  test('a calendar without opening hours counts every day, midnight to midnight', () => {
    const always: OfficeCalendar = { timeZone: 'Asia/Jakarta', hours: {}, holidays: [] };
    const clock = laporClock({ forwardedAt: '2026-12-07T03:00:00Z' }, DEFAULT_LAPOR_CLOCK, always)!;
    expect(clock.followUpDueAt).toBe('2026-12-12T17:00:00.000Z'); // the end of Saturday 12 Dec, WIB
  });
});
