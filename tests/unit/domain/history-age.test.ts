import { demoTime, SAMPLES_SPAN } from '../../../src/cli/commands/demo-time';
import { FixedClock } from '../../../src/domain/clock';
import { ageStart, arrivedLate, isHistorical } from '../../../src/domain/history-age';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { parseTarget } from '../../../src/domain/target';

const calendar: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:00' },
  holidays: ['2026-12-25'],
};
const twoDays = parseTarget('2d');

describe('history age on the office calendar (fixed clock)', () => {
  const clock = new FixedClock('2026-11-04T10:00:00+07:00'); // a Wednesday

  it('is history once two working days have passed, not before', () => {
    // Monday 09:00 + 2 working days = Wednesday 09:00: history at Wednesday 10:00.
    expect(isHistorical('2026-11-02T09:00:00+07:00', clock.now(), twoDays, calendar)).toBe(true);
    // Monday 11:00 + 2 working days = Wednesday 11:00: still live work.
    expect(isHistorical('2026-11-02T11:00:00+07:00', clock.now(), twoDays, calendar)).toBe(false);
    expect(isHistorical('2026-11-04T09:59:00+07:00', clock.now(), twoDays, calendar)).toBe(false);
  });

  it('counts working days only: a Friday call is not history on Monday', () => {
    clock.set('2026-11-09T15:00:00+07:00'); // Monday
    expect(isHistorical('2026-11-06T14:00:00+07:00', clock.now(), twoDays, calendar)).toBe(false);
    clock.advance(24 * 60 * 60_000); // Tuesday 15:00
    expect(isHistorical('2026-11-06T14:00:00+07:00', clock.now(), twoDays, calendar)).toBe(true);
  });

  it('skips holidays', () => {
    clock.set('2026-12-28T10:00:00+07:00'); // Monday after Christmas (Friday 25th closed)
    expect(isHistorical('2026-12-24T11:00:00+07:00', clock.now(), twoDays, calendar)).toBe(false);
    expect(isHistorical('2026-12-23T09:00:00+07:00', clock.now(), twoDays, calendar)).toBe(true);
  });

  it('counts the age from the arrival at the office when the source says it came later than its own time', () => {
    clock.set('2026-11-11T10:00:00+07:00'); // Wednesday
    const submittedLastWeek = { receivedAt: '2026-11-02T09:00:00+07:00', arrivedAt: '2026-11-11T08:00:00+07:00' };
    expect(ageStart(submittedLastWeek)).toBe(submittedLastWeek.arrivedAt);
    expect(isHistorical(ageStart(submittedLastWeek), clock.now(), twoDays, calendar)).toBe(false);
    expect(isHistorical(ageStart({ receivedAt: submittedLastWeek.receivedAt }), clock.now(), twoDays, calendar)).toBe(
      true,
    );
    // An "arrival" before the record's own time is none: the later one counts.
    expect(ageStart({ receivedAt: '2026-11-10T09:00:00+07:00', arrivedAt: '2026-11-02T09:00:00+07:00' })).toBe(
      '2026-11-10T09:00:00+07:00',
    );
  });

  it('calls a record late when it reached the service more than an hour after its source time', () => {
    expect(arrivedLate('2026-11-03T09:00:00+07:00', '2026-11-06T10:00:00+07:00')).toBe(true);
    expect(arrivedLate('2026-11-06T09:30:00+07:00', '2026-11-06T10:00:00+07:00')).toBe(false);
  });
});

describe('demo sample times', () => {
  const start = new Date('2027-03-15T03:00:00Z');

  it('land in the four minutes before the demo start, in their order', () => {
    const times = [SAMPLES_SPAN.from, '2026-11-30T10:15:00+07:00', '2026-11-30T16:00:00+07:00', SAMPLES_SPAN.to];
    const moved = times.map((t) => Date.parse(demoTime(t, start)));
    expect([...moved].sort((a, b) => a - b)).toEqual(moved);
    expect(new Set(moved).size).toBe(moved.length);
    for (const at of moved) {
      expect(at).toBeLessThan(start.getTime());
      expect(start.getTime() - at).toBeLessThanOrEqual(4 * 60_000);
    }
  });

  it('clamps times outside the samples span', () => {
    expect(demoTime('2020-01-01T00:00:00Z', start)).toBe(demoTime(SAMPLES_SPAN.from, start));
    expect(demoTime('2030-01-01T00:00:00Z', start)).toBe(demoTime(SAMPLES_SPAN.to, start));
  });
});
