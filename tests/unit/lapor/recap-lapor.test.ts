import type { HistoryEntry, Ticket } from '../../../src/domain/complaint';
import { computeRecap } from '../../../src/domain/recap';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { renderRecapCsv } from '../../../src/report/recap-csv';
import { renderRecapHtml } from '../../../src/report/recap-html';
import { CATEGORY_KEYS } from '../../../src/domain/categories';

const DAIRI: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'],
};
const CATEGORIES = Object.fromEntries(
  CATEGORY_KEYS.map((k) => [k, { label: `Jenis ${k}`, target: '3d', team: 'capil' }]),
) as Parameters<typeof computeRecap>[0]['categories'];

let n = 0;
function ticket(overrides: Partial<Ticket>, history: HistoryEntry[] = []): Ticket {
  n += 1;
  const receivedAt = overrides.receivedAt ?? '2026-12-01T02:00:00.000Z';
  return {
    id: `t${n}`,
    ticketNumber: `ADU-2026-${String(n).padStart(6, '0')}`,
    channel: 'lapor',
    sourceId: `${1916440 + n}`,
    references: [],
    receivedAt,
    complainant: { name: 'Rugun Simbolon', email: 'rugun@example.com' },
    text: 'KTP belum dicetak',
    attachments: [],
    autoReplyAllowed: false,
    meta: {},
    status: 'routed',
    classification: { category: CATEGORY_KEYS[0]!, confidence: 0.9, evidence: [] },
    targetMinutes: 1440,
    dueAt: '2026-12-04T09:00:00.000Z',
    team: 'capil',
    createdAt: receivedAt,
    history: [{ at: receivedAt, event: 'received' }, ...history],
    ...overrides,
  };
}

describe('recap: SP4N-LAPOR! reports apart with their 3/5/10-working-day milestones, forwarded complaints listed', () => {
  // Submitted Tue 1 Dec, forwarded Wed 2 Dec 10:15 WIB: the follow-up is due Wed 9 Dec 16:00 WIB.
  const lapor = (id: string, history: HistoryEntry[], extra: Record<string, string> = {}) =>
    ticket(
      {
        sourceId: id,
        meta: {
          laporTrackingId: id,
          laporSubmittedAt: '2026-12-01T12:42:00.000Z',
          laporForwardedAt: '2026-12-02T03:15:00.000Z',
          laporClockBasis: 'forwarded',
          ...extra,
        },
      },
      history,
    );
  const posted = (at: string): HistoryEntry => ({ at, event: 'lapor-posted', by: 'operator:rina' });
  const tickets = [
    // Posted on Tue 8 Dec: in time; its closure (10 working days, across Christmas) falls on Tue 22 Dec.
    lapor('1000001', [posted('2026-12-08T04:00:00.000Z')]),
    // Posted on Thu 10 Dec: late.
    lapor('1000002', [posted('2026-12-10T04:00:00.000Z')]),
    // Never posted.
    lapor('1000003', []),
    // Forwarded only 4 working days after submission (LAPOR! late), posted in time, then reopened.
    lapor('1000004', [posted('2026-12-08T04:00:00.000Z'), { at: '2026-12-09T04:00:00.000Z', event: 'reopened' }], {
      laporSubmittedAt: '2026-11-26T02:00:00.000Z',
    }),
    // Another channel's complaint sent on to another agency.
    ticket({ channel: 'email', sourceId: '<x@y>', status: 'forwarded' }, [
      {
        at: '2026-12-02T05:00:00.000Z',
        event: 'staff-reply',
        ref: 'cli-forward-1',
        forward: { to: 'Dinas Sosial Kabupaten Dairi', via: 'lapor', reason: 'PKH untuk Rugun Simbolon' },
      },
      { at: '2026-12-02T05:00:05.000Z', event: 'forwarded', ref: 'cli-forward-1' },
    ]),
  ];

  test.each([
    ['before the closures are due (Fri 11 Dec)', '2026-12-11T05:00:00Z', { met: 0, missed: 1, pending: 2, unknown: 1 }],
    ['after them (Thu 24 Dec)', '2026-12-24T05:00:00Z', { met: 1, missed: 1, pending: 1, unknown: 1 }],
  ])('milestones as at %s', (_when, now, closure) => {
    const recap = computeRecap({
      tickets,
      categories: CATEGORIES,
      calendar: DAIRI,
      period: { from: '2026-11-01', to: '2026-12-31' },
      now: new Date(now),
    });
    expect(recap.lapor!.count).toBe(4);
    expect(recap.lapor!.verification).toEqual({ met: 3, missed: 1, pending: 0, unknown: 0 });
    expect(recap.lapor!.followUp).toEqual({ met: 2, missed: 2, pending: 0, unknown: 0 });
    expect(recap.lapor!.closure).toEqual(closure);
    expect(recap.lapor!.items.map((i) => [i.trackingId, i.verification, i.followUp])).toEqual([
      ['1000001', 'met', 'met'],
      ['1000002', 'met', 'missed'],
      ['1000003', 'met', 'missed'],
      ['1000004', 'missed', 'met'],
    ]);
    expect(recap.lapor!.items[0]!.followUpDueAt).toBe('2026-12-09T09:00:00.000Z');
    expect(recap.forwarded).toEqual([
      expect.objectContaining({ channel: 'email', to: 'Dinas Sosial Kabupaten Dairi', via: 'lapor' }),
    ]);
    // A forwarded complaint is closed: never overdue.
    expect(recap.overdue.map((o) => o.channel)).not.toContain('email');

    const html = renderRecapHtml(recap);
    const csv = renderRecapCsv(recap);
    expect(html).toContain('<section id="lapor">');
    expect(html).toContain('Laporan SP4N-LAPOR! (4)');
    expect(html).toContain('Pengaduan diteruskan ke instansi lain (1)');
    expect(html).toMatch(
      /data-milestone-row="5"><th scope="row">[^<]+<\/th><td data-field="follow-up-met">2<\/td><td data-field="follow-up-missed">2</,
    );
    expect(csv).toContain('lapor_tonggak,5,2,2,0,0');
    expect(csv).toMatch(/diteruskan,ADU-2026-\d{6},email,Email,Dinas Sosial Kabupaten Dairi,lapor,2026-12-02 12:00/);
    // No reporter identity, not even the one in a forwarding reason.
    for (const text of [html, csv]) {
      expect(text).not.toContain('Rugun');
      expect(text).not.toContain('rugun@example.com');
    }
  });
});
