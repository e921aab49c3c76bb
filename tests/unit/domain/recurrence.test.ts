import type { CategoryKey } from '../../../src/domain/categories';
import type { ChannelKey } from '../../../src/domain/channels';
import type { Complainant, HistoryEvent, Ticket } from '../../../src/domain/complaint';
import { computeEvaluation, slug } from '../../../src/domain/evaluation';
import { carriedPlans, planStanding, type FollowUpPlan } from '../../../src/domain/follow-up-plan';
import type { KindStats } from '../../../src/domain/recap';
import {
  isRising,
  kindTrends,
  missedTargets,
  monthsBefore,
  reopenedTickets,
  themeOf,
  themeTrends,
} from '../../../src/domain/recurrence';
import { contactKeys, repeatComplainants } from '../../../src/domain/repeat-complainants';

const TZ = 'Asia/Jakarta';
const iso = (wib: string) => new Date(`${wib}+07:00`).toISOString();

let serial = 0;
function ticket(t: {
  kind?: CategoryKey;
  channel?: ChannelKey;
  received: string;
  who?: Complainant;
  evidence?: string[];
  events?: Array<[HistoryEvent, string]>;
}): Ticket {
  serial += 1;
  return {
    id: `id-${serial}`,
    ticketNumber: `ADU-2026-${String(serial).padStart(6, '0')}`,
    channel: t.channel ?? 'email',
    sourceId: `s-${serial}`,
    references: [],
    receivedAt: iso(t.received),
    complainant: t.who ?? {},
    text: 'x',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    classification: { category: t.kind ?? 'nik-consolidation', confidence: 0.9, evidence: t.evidence ?? [] },
    targetMinutes: 30,
    dueAt: iso(t.received),
    team: 'piak',
    createdAt: iso(t.received),
    history: [
      { at: iso(t.received), event: 'received' },
      ...(t.events ?? []).map(([event, at]) => ({ event, at: iso(at) })),
    ],
  };
}

describe('isRising (min 3, +2, ×1.5)', () => {
  test.each([
    [3, 0, true],
    [2, 0, false], // too few
    [3, 1, true],
    [4, 3, false], // +1 only
    [5, 3, true], // +2 and ×1.67
    [14, 10, false], // +4 but ×1.4
    [15, 10, true], // ×1.5 exactly
    [0, 0, false],
  ])('%i against a baseline of %s → %s', (current, baseline, expected) => {
    expect(isRising(current, baseline)).toBe(expected);
  });
});

test('monthsBefore crosses the year', () => {
  expect(monthsBefore('2026-02', 3)).toEqual([
    { from: '2026-01-01', to: '2026-01-31' },
    { from: '2025-12-01', to: '2025-12-31' },
    { from: '2025-11-01', to: '2025-11-30' },
  ]);
});

test('kindTrends compares with the mean of the comparison months; kinds never seen are left out', () => {
  const nov = [1, 2, 3, 4, 5].map(() => ticket({ received: '2026-11-03T09:00:00' }));
  const novOther = [ticket({ kind: 'skpwni-online', received: '2026-11-04T09:00:00' })];
  const oct = [ticket({ received: '2026-10-03T09:00:00' }), ticket({ received: '2026-10-04T09:00:00' })];
  const sep = [ticket({ received: '2026-09-03T09:00:00' })];
  const trends = kindTrends([...nov, ...novOther], [oct, sep, []], ['nik-consolidation', 'skpwni-online', 'other']);
  expect(trends).toEqual([
    { kind: 'nik-consolidation', current: 5, previous: [2, 1, 0], baseline: 1, rising: true },
    { kind: 'skpwni-online', current: 1, previous: [0, 0, 0], baseline: 0, rising: false },
  ]);
});

test('themes: evidence phrases per kind, once per ticket, month over month, masked', () => {
  const now = [
    ticket({ received: '2026-11-02T09:00:00', evidence: ['NIK ganda', 'nik  ganda', 'data'] }),
    ticket({ received: '2026-11-03T09:00:00', evidence: ['nik ganda'] }),
    ticket({ received: '2026-11-04T09:00:00', evidence: ['nik ganda', 'hubungi 081234567890'] }),
    ticket({ kind: 'skpwni-online', received: '2026-11-04T09:00:00', evidence: ['nik ganda'] }),
  ];
  const before = [ticket({ received: '2026-10-02T09:00:00', evidence: ['data'] })];
  const trends = themeTrends(now, before, 2);
  // "data", the masked phone phrase and the other kind's phrase are in one ticket each: not themes.
  expect(trends).toEqual([
    { kind: 'nik-consolidation', phrase: 'nik ganda', current: 3, previousMonth: 0, rising: true },
  ]);
  const twice = [...now, ticket({ received: '2026-11-05T09:00:00', evidence: ['data'] })];
  expect(themeTrends(twice, before, 2)[1]).toEqual({
    kind: 'nik-consolidation',
    phrase: 'data',
    current: 2,
    previousMonth: 1,
    rising: false,
  });
  expect(themeTrends(twice, before, 1)).toHaveLength(1); // top 1 per kind
  expect(themeOf('Hubungi 081234567890')).not.toMatch(/1234567/);
});

test.each([
  ['Mr. Smith <a@B.id>', 'smith-a-b-id'],
  ['NIK ganda!', 'nik-ganda'],
  ['???', 'frasa'],
])('slug(%s) = %s', (phrase, expected) => expect(slug(phrase.replace(/^Mr\. /, ''))).toBe(expected));

describe('contactKeys: exact identifiers, never names', () => {
  test.each<[ChannelKey, Complainant, string[]]>([
    ['email', { email: 'Rugun@Example.ID', name: 'Rugun' }, ['email:rugun@example.id']],
    ['call-center', { phone: '+6281234567890' }, ['phone:+6281234567890']],
    ['whatsapp', { platformUserId: '1098765:6281234567890' }, ['phone:+6281234567890']],
    ['messenger', { platformUserId: '24680', name: 'Rugun' }, ['messenger:24680']],
    ['instagram', { platformUserId: '24680' }, ['instagram:24680']],
    ['walk-in', { name: 'Rugun Situmorang' }, []],
  ])('%s %j → %j', (channel, who, keys) => {
    expect(contactKeys({ channel, complainant: who })).toEqual(keys);
  });
});

describe('repeatComplainants', () => {
  const nov = { from: '2026-11-01', to: '2026-11-30' };
  test('same kind, same contact, within 30 days; names never join; identifiers join one citizen', () => {
    const a1 = ticket({ received: '2026-10-20T09:00:00', who: { email: 'a@x.id' } });
    const a2 = ticket({ received: '2026-11-10T09:00:00', who: { email: 'A@X.ID', phone: '+6281111111111' } });
    const a3 = ticket({
      channel: 'whatsapp',
      received: '2026-11-12T09:00:00',
      who: { platformUserId: '1:6281111111111' },
    });
    // Same name, different contacts: not the same citizen.
    const b1 = ticket({ received: '2026-11-03T09:00:00', who: { name: 'Budi', email: 'b1@x.id' } });
    const b2 = ticket({ received: '2026-11-04T09:00:00', who: { name: 'Budi', email: 'b2@x.id' } });
    // Same contact, other kind: not a repeat.
    const c1 = ticket({ received: '2026-11-05T09:00:00', who: { email: 'c@x.id' } });
    const c2 = ticket({ kind: 'skpwni-online', received: '2026-11-06T09:00:00', who: { email: 'c@x.id' } });
    // 31 days apart: not a repeat.
    const d1 = ticket({ received: '2026-10-01T09:00:00', who: { email: 'd@x.id' } });
    const d2 = ticket({ received: '2026-11-01T09:00:00', who: { email: 'd@x.id' } });
    // A repeat in December is outside the period.
    const e1 = ticket({ received: '2026-11-28T09:00:00', who: { email: 'e@x.id' } });
    const e2 = ticket({ received: '2026-12-01T09:00:00', who: { email: 'e@x.id' } });
    // Two citizens repeating in another kind.
    const f1 = ticket({
      kind: 'other',
      channel: 'messenger',
      received: '2026-11-01T08:00:00',
      who: { platformUserId: '9' },
    });
    const f2 = ticket({
      kind: 'other',
      channel: 'messenger',
      received: '2026-11-30T08:00:00',
      who: { platformUserId: '9' },
    });
    const g1 = ticket({ kind: 'other', received: '2026-11-07T08:00:00', who: { phone: '+6282222222222' } });
    const g2 = ticket({
      kind: 'other',
      channel: 'call-center',
      received: '2026-11-08T08:00:00',
      who: { phone: '+6282222222222' },
    });
    const all = [a3, a1, a2, b1, b2, c1, c2, d1, d2, e1, e2, f1, f2, g1, g2];
    const summary = repeatComplainants(all, nov, TZ);
    expect(summary.repeats.map((r) => [r.ticketNumber, r.earlierTicketNumber, r.days])).toEqual([
      [g2.ticketNumber, g1.ticketNumber, 1],
      [a2.ticketNumber, a1.ticketNumber, 21],
      [a3.ticketNumber, a2.ticketNumber, 2],
      [f2.ticketNumber, f1.ticketNumber, 29],
    ]);
    expect(summary.citizens).toBe(3); // a (mail + phone + WhatsApp), f, g
    expect(summary.byKind.map((k) => [k.kind, k.citizens, k.repeats.length])).toEqual([
      ['other', 2, 2],
      ['nik-consolidation', 1, 2],
    ]);
    expect(JSON.stringify(summary)).not.toMatch(/@|\+62|Budi/);
  });
});

test('reopenedTickets counts reopenings up to now and whether it was resolved again', () => {
  const t1 = ticket({
    received: '2026-11-02T09:00:00',
    events: [
      ['resolved', '2026-11-02T10:00:00'],
      ['reopened', '2026-11-03T10:00:00'],
      ['resolved', '2026-11-03T11:00:00'],
      ['reopened', '2026-11-04T10:00:00'],
    ],
  });
  const t2 = ticket({
    received: '2026-11-02T09:00:00',
    events: [
      ['resolved', '2026-11-02T10:00:00'],
      ['reopened', '2026-11-03T10:00:00'],
      ['resolved', '2026-11-03T11:00:00'],
    ],
  });
  const t3 = ticket({ received: '2026-11-02T09:00:00', events: [['resolved', '2026-11-02T10:00:00']] });
  expect(reopenedTickets([t3, t2, t1], new Date(iso('2026-12-01T00:00:00')))).toEqual([
    { ticketNumber: t1.ticketNumber, kind: 'nik-consolidation', times: 2, resolvedAgain: false },
    { ticketNumber: t2.ticketNumber, kind: 'nik-consolidation', times: 1, resolvedAgain: true },
  ]);
  // As at 3 Nov 10:30, t1 was reopened once and not yet resolved again.
  expect(reopenedTickets([t1], new Date(iso('2026-11-03T10:30:00')))[0]).toMatchObject({
    times: 1,
    resolvedAgain: false,
  });
});

test('missedTargets: most misses first, then share; kinds that missed nothing are left out', () => {
  const k = (key: CategoryKey, withinTarget: number, targetDecided: number) => ({ key, withinTarget, targetDecided });
  expect(
    missedTargets([
      k('other', 5, 5),
      k('skpwni-online', 1, 4),
      k('nik-consolidation', 7, 10),
      k('deed-validity', 0, 3),
    ]),
  ).toEqual(
    [
      { kind: 'skpwni-online', missed: 3, decided: 4, share: 0.75 },
      { kind: 'nik-consolidation', missed: 3, decided: 10, share: 0.3 },
      { kind: 'deed-validity', missed: 3, decided: 3, share: 1 },
    ].sort((a, b) => b.missed - a.missed || b.share - a.share),
  );
});

describe('follow-up plans', () => {
  const plan = (p: Partial<FollowUpPlan>): FollowUpPlan => ({
    period: '2026-10',
    problem: 'rising:other',
    who: 'Kabid PIAK',
    due: '2026-11-15',
    status: 'open',
    updatedAt: '2026-11-02T00:00:00Z',
    ...p,
  });
  test.each([
    ['open', '2026-11-15', '2026-11-15', 'open'],
    ['open', '2026-11-15', '2026-11-16', 'late'],
    ['done', '2026-11-15', '2026-12-20', 'done'],
  ] as const)('%s due %s on %s → %s', (status, due, today, standing) => {
    expect(planStanding({ status, due }, today)).toBe(standing);
  });
  test('carried: earlier months not done, and last month whatever its status', () => {
    const plans = [
      plan({ period: '2026-08', problem: 'a', status: 'done' }),
      plan({ period: '2026-09', problem: 'b' }),
      plan({ period: '2026-10', problem: 'c', status: 'done' }),
      plan({ period: '2026-11', problem: 'd' }),
    ];
    expect(carriedPlans(plans, '2026-11').map((p) => p.problem)).toEqual(['b', 'c']);
  });
});

test('computeEvaluation flags problems with keys and joins the plans written for them', () => {
  const tickets = [
    ...[1, 2, 3].map((d) => ticket({ received: `2026-11-0${d}T09:00:00`, evidence: ['kk hilang'] })),
    ticket({ received: '2026-10-20T09:00:00', who: { email: 'x@y.id' } }),
    ticket({ received: '2026-11-05T09:00:00', who: { email: 'x@y.id' } }),
  ];
  const byKind = [{ key: 'nik-consolidation', withinTarget: 1, targetDecided: 3 }] as unknown as KindStats[];
  const labels = { 'nik-consolidation': 'Konsolidasi NIK' } as Record<CategoryKey, string>;
  const plans: FollowUpPlan[] = [
    {
      period: '2026-11',
      problem: 'rising:nik-consolidation',
      who: 'Kabid',
      due: '2026-12-10',
      status: 'open',
      updatedAt: 'x',
    },
    { period: '2026-11', problem: 'gone:other', who: 'Kasi', due: '2026-12-10', status: 'open', updatedAt: 'x' },
    { period: '2026-10', problem: 'repeat:other', who: 'Kasi', due: '2026-11-20', status: 'open', updatedAt: 'x' },
  ];
  const evaluation = computeEvaluation({
    tickets,
    period: { from: '2026-11-01', to: '2026-11-30' },
    byKind,
    labels,
    timeZone: TZ,
    now: new Date(iso('2026-12-01T08:00:00')),
    plans,
  });
  expect(evaluation.problems.map((p) => p.key)).toEqual([
    'rising:nik-consolidation',
    'theme:nik-consolidation:kk-hilang',
    'repeat:nik-consolidation',
    'missed-target:nik-consolidation',
  ]);
  expect(evaluation.problems[0]!.title).toBe(
    'Pengaduan Konsolidasi NIK meningkat: 4 (rata-rata 3 bulan sebelumnya 0,3)',
  );
  expect(evaluation.plans[0]!.plan).toMatchObject({ who: 'Kabid', standing: 'open' });
  expect(evaluation.plans[1]!.plan).toBeUndefined();
  expect(evaluation.otherPlans.map((p) => p.problem)).toEqual(['gone:other']);
  expect(evaluation.carried.map((p) => [p.problem, p.standing])).toEqual([['repeat:other', 'late']]);
});
