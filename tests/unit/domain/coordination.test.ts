import { computeDueAt, zoneOffsetMinutes, type OfficeCalendar } from '../../../src/domain/sla';
import { slaCheckpoints } from '../../../src/domain/sla-checkpoints';
import { isStaff, readStaffReply, staffDirectory } from '../../../src/domain/staff';
import { parseTarget } from '../../../src/domain/target';

const calendar: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-24', '2026-12-25'],
};
const iso = (wib: string) => new Date(wib).toISOString();

describe('SLA checkpoints on the office calendar', () => {
  test.each([
    [
      '30 min, 80 %: reminder after 24 working minutes',
      '2026-11-30T09:00:00+07:00',
      '30m',
      0.8,
      '2026-11-30T09:24:00+07:00',
      '2026-11-30T09:30:00+07:00',
    ],
    [
      '2 h across closing time: the reminder counts working time too',
      '2026-11-30T15:00:00+07:00',
      '2h',
      0.5,
      '2026-11-30T16:00:00+07:00',
      '2026-12-01T09:00:00+07:00',
    ],
    [
      'after hours: both count from the next opening',
      '2026-11-30T20:00:00+07:00',
      '15m',
      0.8,
      '2026-12-01T08:12:00+07:00',
      '2026-12-01T08:15:00+07:00',
    ],
    [
      '3 working days across holidays: reminder on the share of working time',
      '2026-12-22T08:00:00+07:00',
      '3d',
      0.5,
      '2026-12-23T12:00:00+07:00',
      '2026-12-29T08:00:00+07:00',
    ],
    [
      '5 min target: at least one minute before the reminder',
      '2026-11-30T10:00:00+07:00',
      '5m',
      0.1,
      '2026-11-30T10:01:00+07:00',
      '2026-11-30T10:05:00+07:00',
    ],
  ])('%s', (_name, received, target, share, remindAt, escalateAt) => {
    const dueAt = computeDueAt(iso(received), parseTarget(target), calendar);
    expect(slaCheckpoints({ receivedAt: iso(received), dueAt }, share, calendar)).toEqual({
      remindAt: iso(remindAt),
      escalateAt: iso(escalateAt),
    });
  });
});

describe('staff directory', () => {
  const staff = staffDirectory(['Capil@Disdukcapil.dairikab.go.id', 'kabid@gmail.com'], ['dinas.example.go.id']);
  test.each([
    ['capil@disdukcapil.dairikab.go.id', true],
    ['capil+ADU-2026-000001@disdukcapil.dairikab.go.id', true],
    ['KABID@gmail.com', true],
    ['siapa.saja@dinas.example.go.id', true],
    ['dinas.example.go.id@evil.com', false],
    ['warga@gmail.com', false],
    ['capil@disdukcapil.dairikab.go.id.evil.com', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isStaff(staff, address)).toBe(expected);
  });

  test.each([
    ['#internal Sudah dicek.', true, 'Sudah dicek.'],
    ['  #INTERNAL: data ganda', true, 'data ganda'],
    ['Silakan datang ke loket 3.', false, 'Silakan datang ke loket 3.'],
    ['Catatan #internal di tengah tetap dikirim', false, 'Catatan #internal di tengah tetap dikirim'],
    ['#internalisasi bukan tanda', false, '#internalisasi bukan tanda'],
  ])('%j', (text, internal, kept) => {
    expect(readStaffReply(text)).toEqual({ internal, text: kept });
  });
});

describe('zone offsets (remembered per quarter hour)', () => {
  test.each([
    ['Asia/Jakarta', '2026-11-30T02:00:00Z', 420],
    ['Europe/Berlin', '2026-03-29T00:59:59Z', 60],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', 120],
    ['Asia/Kathmandu', '2026-06-01T10:10:00Z', 345],
    ['America/St_Johns', '2026-11-01T04:29:59Z', -150],
    ['America/St_Johns', '2026-11-01T04:30:00Z', -210],
  ])('%s at %s', (zone, at, expected) => {
    expect(zoneOffsetMinutes(Date.parse(at), zone)).toBe(expected);
    expect(zoneOffsetMinutes(Date.parse(at), zone)).toBe(expected); // and again, from what was remembered
  });
});
