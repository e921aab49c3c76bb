import { computeDueAt, workingMinutesBetween, type OfficeCalendar } from '../../../src/domain/sla';
import { parseTarget } from '../../../src/domain/target';

const calendar: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-25', '2026-12-24'],
};

// Times are written in WIB (+07:00) as the office reads them.
describe('computeDueAt on the office calendar', () => {
  test.each([
    ['within hours', '2026-11-30T09:00:00+07:00', '30m', '2026-11-30T09:30:00+07:00'],
    ['crosses closing time into the next morning', '2026-11-30T15:50:00+07:00', '30m', '2026-12-01T08:20:00+07:00'],
    ['arrives after hours: starts at next opening', '2026-11-30T19:00:00+07:00', '15m', '2026-12-01T08:15:00+07:00'],
    ['arrives before opening', '2026-12-01T06:30:00+07:00', '5m', '2026-12-01T08:05:00+07:00'],
    ['weekend: Saturday waits for Monday', '2026-11-28T10:00:00+07:00', '10m', '2026-11-30T08:10:00+07:00'],
    ["Friday's longer day still counts", '2026-12-04T16:10:00+07:00', '15m', '2026-12-04T16:25:00+07:00'],
    ['Friday overflow goes to Monday', '2026-12-04T16:20:00+07:00', '30m', '2026-12-07T08:20:00+07:00'],
    ['holidays are skipped (24 and 25 Dec)', '2026-12-23T15:30:00+07:00', '2h', '2026-12-28T09:30:00+07:00'],
    ['2 h target split across days', '2026-11-30T15:00:00+07:00', '2h', '2026-12-01T09:00:00+07:00'],
    ['3 working days from Monday morning', '2026-11-30T10:00:00+07:00', '3d', '2026-12-03T10:00:00+07:00'],
    ['3 working days across a holiday and a weekend', '2026-12-22T11:00:00+07:00', '3d', '2026-12-29T11:00:00+07:00'],
    [
      '3 working days received on Saturday start Monday 08:00',
      '2026-11-28T13:00:00+07:00',
      '3d',
      '2026-12-03T08:00:00+07:00',
    ],
    [
      'received at closing time counts from next opening',
      '2026-11-30T16:00:00+07:00',
      '5m',
      '2026-12-01T08:05:00+07:00',
    ],
  ])('%s', (_name, received, target, expected) => {
    expect(computeDueAt(received, parseTarget(target), calendar)).toBe(new Date(expected).toISOString());
  });

  test('a calendar without working hours counts wall-clock time', () => {
    const always: OfficeCalendar = { timeZone: 'Asia/Jakarta', hours: {}, holidays: [] };
    expect(computeDueAt('2026-11-28T10:00:00+07:00', parseTarget('2h'), always)).toBe(
      new Date('2026-11-28T12:00:00+07:00').toISOString(),
    );
  });
});

describe('workingMinutesBetween', () => {
  test.each([
    ['same morning', '2026-11-30T09:00:00+07:00', '2026-11-30T09:45:00+07:00', 45],
    ['overnight counts only office time', '2026-11-30T15:30:00+07:00', '2026-12-01T08:30:00+07:00', 60],
    ['over a weekend', '2026-12-04T16:00:00+07:00', '2026-12-07T08:10:00+07:00', 40],
    ['reversed interval is zero', '2026-12-01T10:00:00+07:00', '2026-12-01T09:00:00+07:00', 0],
  ])('%s', (_name, from, to, minutes) => {
    expect(workingMinutesBetween(from, to, calendar)).toBe(minutes);
  });
});
