import type { CategoryKey } from '../../../src/domain/categories';
import type { ChannelKey } from '../../../src/domain/channels';
import type { HistoryEvent, Ticket } from '../../../src/domain/complaint';
import { computeRecap, nearestRank, officeDayStart, previousMonth, type RecapInput } from '../../../src/domain/recap';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { CATEGORY_KEYS } from '../../../src/domain/categories';

const calendar: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-24', '2026-12-25'],
};

const categories = Object.fromEntries(
  CATEGORY_KEYS.map((key) => [
    key,
    { label: `Label ${key}`, target: key === 'skpwni-online' ? '3d' : '30m', team: 'piak' },
  ]),
) as RecapInput['categories'];

const iso = (wib: string) => new Date(`${wib}+07:00`).toISOString();

let serial = 0;
/** A ticket as the store keeps it; times in WIB without offset. */
function ticket(t: {
  kind?: CategoryKey;
  channel?: ChannelKey;
  received: string;
  due: string;
  events?: Array<[HistoryEvent, string]>;
  team?: string;
}): Ticket {
  serial += 1;
  const history = [
    { at: iso(t.received), event: 'received' as const },
    ...(t.events ?? []).map(([event, at]) => ({ event, at: iso(at) })),
  ];
  return {
    id: `id-${serial}`,
    ticketNumber: `ADU-2026-${String(serial).padStart(6, '0')}`,
    channel: t.channel ?? 'email',
    sourceId: `src-${serial}`,
    references: [],
    receivedAt: iso(t.received),
    complainant: { name: 'Rugun Situmorang', phone: '+6281234567890', nik: '1211045706890002' },
    text: 'NIK 1211045706890002 saya ditolak',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: history.some((h) => h.event === 'resolved') ? 'resolved' : 'routed',
    classification: { category: t.kind ?? 'nik-consolidation', confidence: 0.9, evidence: [] },
    targetMinutes: 30,
    dueAt: iso(t.due),
    team: t.team ?? 'piak',
    createdAt: iso(t.received),
    history,
  };
}

describe('nearestRank', () => {
  test.each([
    ['no values', [], 50, undefined],
    ['one value is every percentile', [7], 90, 7],
    ['median of an odd count is the middle', [3, 1, 2], 50, 2],
    ['median of an even count is the lower middle', [4, 1, 3, 2], 50, 2],
    ['p90 of 10 values is the 9th', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    ['p90 of 11 values is the 10th (⌈9.9⌉)', [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 10],
    ['p90 of 20 values is the 18th', Array.from({ length: 20 }, (_, i) => 20 - i), 90, 18],
    ['p90 of 3 values is the largest', [5, 50, 500], 90, 500],
    ['p100 is the maximum', [5, 50, 500], 100, 500],
    ['duplicates count', [1, 1, 1, 9], 50, 1],
  ])('%s', (_name, values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });

  test('a percentile outside (0, 100] is an error', () => {
    expect(() => nearestRank([1], 0)).toThrow();
    expect(() => nearestRank([1], 101)).toThrow();
  });
});

describe('office dates', () => {
  test('an office day starts at local midnight', () => {
    expect(officeDayStart('2026-11-01', 'Asia/Jakarta')).toBe('2026-10-31T17:00:00.000Z');
  });
  test.each([
    ['2026-12-01T00:30:00.000Z', '2026-11-01', '2026-11-30'],
    // 1 Jan 2027 06:00 WIB is still 31 Dec in UTC: the office date decides.
    ['2026-12-31T23:00:00.000Z', '2026-12-01', '2026-12-31'],
    ['2027-03-15T03:00:00.000Z', '2027-02-01', '2027-02-28'],
  ])('previous month of %s', (now, from, to) => {
    expect(previousMonth(new Date(now), 'Asia/Jakarta')).toEqual({ from, to });
  });
});

describe('computeRecap', () => {
  // Period Monday 30 Nov – Sunday 6 Dec 2026; the recap is made on Monday 7 Dec, 10:00 WIB.
  const period = { from: '2026-11-30', to: '2026-12-06' };
  const now = new Date(iso('2026-12-07T10:00:00'));
  const tickets = {
    quick: ticket({
      received: '2026-11-30T09:00:00',
      due: '2026-11-30T09:30:00',
      events: [
        ['acknowledged', '2026-11-30T09:03:00'],
        ['resolved', '2026-11-30T09:20:00'],
      ],
    }),
    // Friday afternoon to Monday morning: 30 working minutes on Friday (to 16:30) + 10 on Monday.
    overWeekend: ticket({
      received: '2026-12-04T16:00:00',
      due: '2026-12-04T16:30:00',
      events: [
        ['acknowledged', '2026-12-04T16:10:00'],
        ['resolved', '2026-12-07T08:10:00'],
      ],
    }),
    lateResolved: ticket({
      received: '2026-12-01T10:00:00',
      due: '2026-12-01T10:30:00',
      events: [
        ['acknowledged', '2026-12-01T10:01:00'],
        ['resolved', '2026-12-01T11:00:00'],
      ],
    }),
    // Open and past due since Thursday 15:00: Thu 60 + Fri 510 + Mon 120 working minutes late.
    overdue: ticket({
      kind: 'population-data-check',
      channel: 'messenger',
      received: '2026-12-03T14:30:00',
      due: '2026-12-03T15:00:00',
      events: [['acknowledged', '2026-12-03T14:31:00']],
      team: 'triase',
    }),
    // A walk-in is answered at the counter; still within its 3 working days.
    walkInOpen: ticket({
      kind: 'skpwni-online',
      channel: 'walk-in',
      received: '2026-12-04T09:00:00',
      due: '2026-12-09T09:00:00',
    }),
    // Resolved after `now`: as at `now` it is open (and overdue).
    resolvedLater: ticket({
      kind: 'population-data-check',
      channel: 'email',
      received: '2026-12-02T08:00:00',
      due: '2026-12-02T08:30:00',
      events: [['resolved', '2026-12-08T09:00:00']],
    }),
    // Sunday 29 Nov 23:30 WIB is before the period; Monday 00:10 WIB (Sunday 17:10 UTC) is in it.
    beforePeriod: ticket({ received: '2026-11-29T23:30:00', due: '2026-11-30T08:30:00' }),
    justInPeriod: ticket({
      channel: 'instagram',
      received: '2026-11-30T00:10:00',
      due: '2026-11-30T08:30:00',
      events: [
        ['acknowledged', '2026-11-30T00:11:00'],
        ['resolved', '2026-11-30T08:20:00'],
      ],
    }),
    afterPeriod: ticket({ received: '2026-12-07T08:00:00', due: '2026-12-07T08:30:00' }),
  };
  const recap = computeRecap({
    tickets: Object.values(tickets),
    categories,
    teams: { piak: { name: 'Bidang PIAK' } },
    calendar,
    period,
    now,
  });
  const kind = (key: CategoryKey) => recap.byKind.find((k) => k.key === key)!;
  const channel = (key: ChannelKey) => recap.byChannel.find((c) => c.key === key)!;

  test("only tickets received on the period's office dates count", () => {
    expect(recap.total.count).toBe(7);
    expect(recap.matrix.total).toBe(7);
  });

  test.each([
    // kind, count, resolved, open, overdue, first response [measured, median, p90], resolution [...], within, decided
    ['nik-consolidation', 4, 4, 0, 0, [4, 1, 10], [4, 20, 60], 2, 4],
    ['population-data-check', 2, 0, 2, 2, [1, 1, 1], [0, undefined, undefined], 0, 2],
    ['skpwni-online', 1, 0, 1, 0, [1, 0, 0], [0, undefined, undefined], 0, 0],
    ['other', 0, 0, 0, 0, [0, undefined, undefined], [0, undefined, undefined], 0, 0],
  ] as const)('%s', (key, count, resolved, open, overdue, first, resolution, within, decided) => {
    const k = kind(key);
    expect({
      count: k.count,
      resolved: k.resolved,
      open: k.open,
      overdue: k.overdue,
      within: k.withinTarget,
      decided: k.targetDecided,
    }).toEqual({ count, resolved, open, overdue, within, decided });
    expect([k.firstResponse.measured, k.firstResponse.median, k.firstResponse.p90]).toEqual(first);
    expect([k.resolution.measured, k.resolution.median, k.resolution.p90]).toEqual(resolution);
  });

  test('resolution and first response are working minutes (a weekend does not count)', () => {
    // nik-consolidation resolution minutes: quick 20, overWeekend 40, lateResolved 60, justInPeriod 20.
    expect(kind('nik-consolidation').resolution).toEqual({ measured: 4, median: 20, p90: 60 });
    // first responses: quick 3, overWeekend 10, lateResolved 1, justInPeriod 0 (before opening).
    expect(kind('nik-consolidation').firstResponse).toEqual({ measured: 4, median: 1, p90: 10 });
  });

  test('within target: resolved by the due time; the share counts resolved and overdue tickets', () => {
    // quick and justInPeriod in time; overWeekend and lateResolved late; two overdue open; walk-in pending.
    expect(recap.total.withinTarget).toBe(2);
    expect(recap.total.targetDecided).toBe(6);
    expect(recap.total.withinTargetShare).toBeCloseTo(2 / 6);
    expect(kind('skpwni-online').withinTargetShare).toBeUndefined();
  });

  test('the kind × channel matrix adds up both ways', () => {
    const m = recap.matrix;
    const k = m.kinds.indexOf('nik-consolidation');
    expect(m.counts[k]![m.channels.indexOf('email')]).toBe(3);
    expect(m.counts[k]![m.channels.indexOf('instagram')]).toBe(1);
    expect(m.kindTotals.reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.channelTotals.reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.channelTotals[m.channels.indexOf('email')]).toBe(4);
    expect(channel('email').count).toBe(4);
    expect(channel('walk-in').firstResponse).toEqual({ measured: 1, median: 0, p90: 0 });
    expect(recap.byKind).toHaveLength(CATEGORY_KEYS.length);
  });

  test('the overdue list, most late first, with working minutes late and no personal data', () => {
    expect(recap.overdue).toEqual([
      {
        ticketNumber: tickets.resolvedLater.ticketNumber,
        kind: 'population-data-check',
        kindLabel: 'Label population-data-check',
        channel: 'email',
        channelLabel: 'Email',
        team: 'piak',
        teamName: 'Bidang PIAK',
        dueAt: iso('2026-12-02T08:30:00'),
        // Wed 450 + Thu 480 + Fri 510 + Mon 120
        lateMinutes: 450 + 480 + 510 + 120,
      },
      {
        ticketNumber: tickets.overdue.ticketNumber,
        kind: 'population-data-check',
        kindLabel: 'Label population-data-check',
        channel: 'messenger',
        channelLabel: 'Facebook Messenger',
        team: 'triase',
        teamName: 'triase',
        dueAt: iso('2026-12-03T15:00:00'),
        lateMinutes: 60 + 510 + 120,
      },
    ]);
    const text = JSON.stringify(recap);
    expect(text).not.toContain('1211045706890002');
    expect(text).not.toContain('Rugun');
    expect(text).not.toContain('6281234567890');
    expect(text).not.toContain('ditolak');
  });

  test('a period that starts after it ends is an error', () => {
    expect(() =>
      computeRecap({ tickets: [], categories, calendar, period: { from: '2026-12-02', to: '2026-12-01' }, now }),
    ).toThrow(/after it ends/);
    expect(() =>
      computeRecap({ tickets: [], categories, calendar, period: { from: '2026-02-30', to: '2026-03-01' }, now }),
    ).toThrow(/not a date/);
  });

  test('no tickets: zeros and no percentiles', () => {
    const empty = computeRecap({ tickets: [], categories, calendar, period, now });
    expect(empty.total).toMatchObject({
      count: 0,
      resolved: 0,
      overdue: 0,
      firstResponse: { measured: 0 },
      targetDecided: 0,
    });
    expect(empty.total.withinTargetShare).toBeUndefined();
    expect(empty.overdue).toEqual([]);
  });
});

describe('ticket life in the recap: reopenings counted, waiting on the citizen not the office’s time', () => {
  const period = { from: '2026-11-30', to: '2026-12-06' };
  // Waited 08:10–10:10 on the citizen: 180 working minutes to the resolution, 60 of them the office's.
  const waited = ticket({
    received: '2026-11-30T08:00:00',
    due: '2026-11-30T10:30:00',
    events: [
      ['waiting-citizen', '2026-11-30T08:10:00'],
      ['citizen-replied', '2026-11-30T10:10:00'],
      ['resolved', '2026-11-30T11:00:00'],
    ],
  });
  const reopenedOpen = {
    ...ticket({
      received: '2026-12-01T08:00:00',
      due: '2026-12-01T09:30:00',
      events: [
        ['resolved', '2026-12-01T08:20:00'],
        ['reopened', '2026-12-01T09:00:00'],
      ],
    }),
    status: 'reopened' as const,
  };
  const reopenedResolved = ticket({
    received: '2026-12-02T08:00:00',
    due: '2026-12-02T09:30:00',
    events: [
      ['resolved', '2026-12-02T08:20:00'],
      ['reopened', '2026-12-02T09:00:00'],
      ['resolved', '2026-12-02T09:20:00'],
    ],
  });
  const recapAt = (now: string) =>
    computeRecap({
      tickets: [waited, reopenedOpen, reopenedResolved],
      categories,
      calendar,
      period,
      now: new Date(iso(now)),
    });

  test('counts reopened tickets; a reopened one is open until resolved again, timed to its last resolution', () => {
    const recap = recapAt('2026-12-07T08:00:00');
    expect(recap.total).toMatchObject({ count: 3, resolved: 2, open: 1, reopened: 2 });
    // 60 (180 minus 120 waiting) and 80 (to the second resolution).
    expect(recap.total.resolution).toEqual({ measured: 2, median: 60, p90: 80 });
  });

  test('as at a time before the reopening, the ticket stood resolved and was not yet reopened', () => {
    const recap = recapAt('2026-12-01T08:30:00');
    expect(recap.total).toMatchObject({ count: 2, resolved: 2, open: 0, reopened: 0 });
  });
});
