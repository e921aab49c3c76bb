import { formatInZone, parseOfficeTime } from '../../../src/channels/shared/local-time';

const jakarta = { timeZone: 'Asia/Jakarta' };

describe('parseOfficeTime', () => {
  it.each([
    ['2026-11-30T10:15:00', '2026-11-30T10:15:00+07:00'],
    ['2026-11-30 10:15', '2026-11-30T10:15:00+07:00'],
    ['2026-11-30T03:15:00Z', '2026-11-30T10:15:00+07:00'],
    ['2026-11-30T10:15:00+08:00', '2026-11-30T09:15:00+07:00'],
    ['2026-11-30T10:15:00.250+0700', '2026-11-30T10:15:00.250+07:00'],
    ['30/11/2026 10.15', '2026-11-30T10:15:00+07:00'],
    ['30-11-2026 10:15:30', '2026-11-30T10:15:30+07:00'],
    ['1/2/26 7:05', '2026-02-01T07:05:00+07:00'],
    ['30/11/2026', '2026-11-30T00:00:00+07:00'],
    ['2026/11/30 10:15', '2026-11-30T10:15:00+07:00'],
    ['1796008500', '2026-11-30T10:15:00+07:00'],
    ['1796008500000', '2026-11-30T10:15:00+07:00'],
    ['46356.4270833333', '2026-11-30T10:15:00+07:00'],
  ])('%s → %s', (raw, iso) => {
    expect(parseOfficeTime(raw, jakarta)).toMatchObject({ ok: true, iso });
  });

  it('reads month first and 12-hour clocks when told so', () => {
    expect(parseOfficeTime('11/30/2026 10:15 PM', { ...jakarta, dateOrder: 'mdy' })).toMatchObject({
      iso: '2026-11-30T22:15:00+07:00',
    });
    expect(parseOfficeTime('11/30/2026 12:05 am', { ...jakarta, dateOrder: 'mdy' })).toMatchObject({
      iso: '2026-11-30T00:05:00+07:00',
    });
  });

  it('numbers: epoch seconds, milliseconds and Excel days', () => {
    expect(parseOfficeTime(1796008500, jakarta)).toMatchObject({
      iso: '2026-11-30T10:15:00+07:00',
      epochMs: 1796008500000,
    });
    expect(parseOfficeTime(46356.5, jakarta)).toMatchObject({ iso: '2026-11-30T12:00:00+07:00' });
  });

  it.each([
    ['', 'time is empty'],
    [null, 'time is empty'],
    ['besok pagi', '"besok pagi" is not a recognised date and time'],
    ['31/11/2026 10:00', '"31/11/2026 10:00" is not a valid date and time'],
    ['2026-11-30 24:00', '"2026-11-30 24:00" is not a valid date and time'],
    [12345678, '12345678 is neither epoch seconds, epoch milliseconds nor an Excel date'],
  ])('%j is refused: %s', (raw, reason) => {
    expect(parseOfficeTime(raw, jakarta)).toEqual({ ok: false, reason });
  });

  it('handles zones with daylight saving through the offset of that instant', () => {
    expect(parseOfficeTime('2026-07-01 12:00', { timeZone: 'Europe/Amsterdam' })).toMatchObject({
      iso: '2026-07-01T12:00:00+02:00',
    });
    expect(parseOfficeTime('2026-01-01 12:00', { timeZone: 'Europe/Amsterdam' })).toMatchObject({
      iso: '2026-01-01T12:00:00+01:00',
    });
    expect(formatInZone(Date.UTC(2026, 10, 30, 3, 15), 'Asia/Jayapura')).toBe('2026-11-30T12:15:00+09:00');
  });
});

describe('absurd numeric times', () => {
  it.each([1e20, 8.64e15, 9e15, Number.MAX_SAFE_INTEGER, 1e300, 2_534_023_008_000_000])(
    '%s is refused with a reason, never an exception',
    (value) => {
      const parsed = parseOfficeTime(value, jakarta);
      expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/not a time/) });
    },
  );

  it('a 13-digit text past 2200 is refused too', () => {
    expect(parseOfficeTime('9999999999999', jakarta)).toMatchObject({ ok: false });
  });
});
