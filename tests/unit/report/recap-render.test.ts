import { parse } from 'csv-parse/sync';
import { CATEGORY_KEYS } from '../../../src/domain/categories';
import { computeRecap, type RecapInput } from '../../../src/domain/recap';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { formatMinutes, formatPeriod, formatShare, periodName } from '../../../src/report/format';
import { renderRecapCsv } from '../../../src/report/recap-csv';
import { renderRecapHtml } from '../../../src/report/recap-html';
import { coverMail } from '../../../src/report/recap-report';
import { plannedAsTickets, planOctoberTickets } from '../../support/recap-tickets';

const calendar: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: [],
};
// Labels and team names are configuration, but they are still escaped: nothing is trusted in the page.
const categories = Object.fromEntries(
  CATEGORY_KEYS.map((key) => [
    key,
    {
      label: key === 'other' ? '=Lainnya <img src=x onerror=alert(1)>' : `Jenis ${key} & co`,
      target: '30m',
      team: 'triase',
    },
  ]),
) as RecapInput['categories'];
const tickets = plannedAsTickets(planOctoberTickets(categories, calendar, 30));
const recap = computeRecap({
  tickets,
  categories,
  calendar,
  teams: { triase: { name: '<b>Tim</b> "triase"' } },
  period: { from: '2026-10-01', to: '2026-10-31' },
  now: new Date('2026-11-02T01:00:00Z'),
});

describe('Indonesian formats', () => {
  test.each([
    [undefined, '–'],
    [0, '0 mnt'],
    [45, '45 mnt'],
    [60, '1 jam'],
    [125, '2 jam 5 mnt'],
    [6000, '100 jam'],
  ])('%s minutes → %s', (m, text) => {
    expect(formatMinutes(m)).toBe(text);
  });
  test('shares and periods', () => {
    expect(formatShare(0.875)).toBe('87,5%');
    expect(formatShare(undefined)).toBe('–');
    expect(formatPeriod({ from: '2026-11-01', to: '2026-11-30' })).toBe('1 November 2026 s.d. 30 November 2026');
    expect(periodName({ from: '2026-11-01', to: '2026-11-30' })).toBe('November 2026');
    expect(periodName({ from: '2026-02-01', to: '2026-02-28' })).toBe('Februari 2026');
    expect(periodName({ from: '2026-11-01', to: '2026-11-15' })).toBe('1 November 2026 s.d. 15 November 2026');
    expect(formatPeriod({ from: '2026-11-02', to: '2026-11-02' })).toBe('2 November 2026');
  });
});

describe('recap rendering', () => {
  test('HTML escapes every configured text and holds no script or outside resource', () => {
    const html = renderRecapHtml(recap);
    expect(html).toContain('=Lainnya &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Jenis nik-consolidation &amp; co');
    expect(html).toContain('&lt;b&gt;Tim&lt;/b&gt; &quot;triase&quot;');
    expect(html).not.toMatch(/<img|<b>Tim|<script|<link|src=["']?http/i);
    expect(html).toContain('@media print');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
  });

  test('CSV: sections with a header each, formula-like text defused, figures as plain numbers', () => {
    const csv = renderRecapCsv(recap);
    expect(csv.startsWith('\uFEFFbagian,kunci,nilai\r\n')).toBe(true);
    const rows = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    // The six tables of the page, then the SP4N-LAPOR! milestones and forwarded complaints (recap-lapor-csv.ts).
    expect(rows.filter((r) => r[0] === 'bagian')).toHaveLength(9);
    expect(new Set(rows.map((r) => r[0]))).toEqual(
      new Set([
        'bagian',
        'info',
        'ringkasan',
        'jenis_kanal',
        'per_jenis',
        'per_kanal',
        'terlambat',
        'lapor_tonggak',
        // The month has one SP4N-LAPOR! report (one ticket per channel) and no forwarded complaint.
        'lapor',
      ]),
    );
    const other = rows.find((r) => r[0] === 'per_jenis' && r[1] === 'other')!;
    expect(other[2]).toBe("'=Lainnya <img src=x onerror=alert(1)>");
    const total = rows.find((r) => r[0] === 'per_jenis' && r[1] === 'total')!;
    expect(Number(total[5])).toBe(recap.total.count);
    const late = rows.filter((r) => r[0] === 'terlambat');
    expect(late).toHaveLength(recap.overdue.length);
    expect(late[0]![8]).toMatch(/^2026-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  test('the cover mail names the month and the key figures', () => {
    const mail = coverMail(recap);
    expect(mail.subject).toBe(
      `Rekap pengaduan Oktober 2026: ${recap.total.count} pengaduan, ${recap.total.resolved} selesai, ${recap.total.overdue} terlambat`,
    );
    expect(mail.text).toContain('periode 1 Oktober 2026 s.d. 31 Oktober 2026');
    expect(mail.text).toContain(`Pengaduan masuk          : ${recap.total.count}`);
    expect(mail.text).toContain('Selesai tepat waktu      : ');
    expect(mail.text).not.toMatch(/1211045706890002|Rugun|6281234567890/);
  });
});
