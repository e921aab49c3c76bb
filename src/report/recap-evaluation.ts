import type { CategoryKey } from '../domain/categories';
import type { Evaluation, PlanLine } from '../domain/evaluation';
import { PLAN_STANDING_LABELS } from '../domain/follow-up-plan';
import { escapeHtml as esc, formatNumber, formatOfficeDate, formatShare, periodName } from './format';

/**
 * The recap's evaluation sections (issue #21 §3) as HTML, CSV rows and cover-mail lines: recurring
 * problems, and the "Rencana tindak lanjut" the head of office fills in (this month's flagged problems
 * with their plans, earlier months' plans with how they stand). No personal data: counts, kinds, ticket
 * numbers and the classifier's (masked) phrases. Cells carry data-* attributes for programs.
 */

type Labels = Record<CategoryKey, string>;

/** 2026-11 → "November 2026". */
function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return periodName({ from: `${month}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) });
}
type Cell = string | number | undefined;

const fmtMean = (n: number) => (Number.isInteger(n) ? formatNumber(n) : n.toFixed(1).replace('.', ','));
const num = (value: number, field: string) =>
  `<td data-field="${field}"${value === 0 ? ' class="zero"' : ''}>${formatNumber(value)}</td>`;
const yes = (flag: boolean) =>
  flag ? '<td class="text flag" data-field="flagged">meningkat</td>' : '<td class="text"></td>';
const none = (id: string, text: string) => `<p class="none" id="${id}">${esc(text)}</p>`;

function kindsTable(e: Evaluation, labels: Labels): string {
  if (e.kinds.length === 0) return none('tabel-jenis-meningkat', 'Belum ada pengaduan untuk dibandingkan.');
  const head = e.comparedWith.map((p) => `<th>${esc(periodName(p))}</th>`).join('');
  const body = e.kinds
    .map(
      (k) =>
        `<tr data-kind="${esc(k.kind)}"${k.rising ? ' class="flagged"' : ''}><th scope="row">${esc(labels[k.kind] ?? k.kind)}</th>` +
        num(k.current, 'current') +
        k.previous.map((n, i) => num(n, `previous-${i + 1}`)).join('') +
        `<td data-field="baseline">${fmtMean(k.baseline)}</td>${yes(k.rising)}</tr>`,
    )
    .join('');
  return (
    `<table id="tabel-jenis-meningkat"><thead><tr><th>Jenis pengaduan</th><th>Periode ini</th>${head}<th>Rata-rata</th><th></th></tr></thead>` +
    `<tbody>${body}</tbody></table>`
  );
}

function themesTable(e: Evaluation, labels: Labels): string {
  if (e.themes.length === 0) return none('tabel-tema', 'Tidak ada frasa bukti klasifikasi pada periode ini.');
  const body = e.themes
    .map(
      (t) =>
        `<tr data-kind="${esc(t.kind)}" data-phrase="${esc(t.phrase)}"${t.rising ? ' class="flagged"' : ''}><td class="text">${esc(labels[t.kind] ?? t.kind)}</td>` +
        `<td class="text">“${esc(t.phrase)}”</td>${num(t.current, 'current')}${num(t.previousMonth, 'previous-month')}${yes(t.rising)}</tr>`,
    )
    .join('');
  return (
    '<table id="tabel-tema"><thead><tr><th>Jenis pengaduan</th><th>Frasa</th><th>Periode ini</th><th>Bulan lalu</th><th></th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

function repeatsTable(e: Evaluation, labels: Labels, windowDays: number): string {
  const r = e.repeats;
  const intro = `<p id="warga-berulang" data-citizens="${r.citizens}" data-repeats="${r.repeats.length}"><strong>${formatNumber(r.citizens)}</strong> warga mengadu lagi tentang jenis yang sama dalam ${windowDays} hari (${formatNumber(r.repeats.length)} pengaduan ulang).</p>`;
  if (r.byKind.length === 0) return intro;
  const body = r.byKind
    .map(
      (k) =>
        `<tr data-kind="${esc(k.kind)}"><th scope="row">${esc(labels[k.kind] ?? k.kind)}</th>${num(k.citizens, 'citizens')}${num(k.repeats.length, 'repeats')}` +
        `<td class="text tickets">${k.repeats
          .map(
            (x) =>
              `<span data-ticket="${esc(x.ticketNumber)}">${esc(x.ticketNumber)} <small>(sebelumnya ${esc(x.earlierTicketNumber)}, ${x.days} hari)</small></span>`,
          )
          .join('; ')}</td></tr>`,
    )
    .join('');
  return (
    intro +
    '<table id="tabel-warga-berulang"><thead><tr><th>Jenis pengaduan</th><th>Warga</th><th>Pengaduan ulang</th><th>Nomor tiket</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

function reopenedTable(e: Evaluation, labels: Labels): string {
  if (e.reopened.length === 0) return none('tabel-dibuka-kembali', 'Tidak ada pengaduan yang dibuka kembali.');
  const body = e.reopened
    .map(
      (r) =>
        `<tr data-ticket="${esc(r.ticketNumber)}"><td class="text ticket">${esc(r.ticketNumber)}</td><td class="text">${esc(labels[r.kind] ?? r.kind)}</td>` +
        `${num(r.times, 'times')}<td class="text" data-field="resolved-again">${r.resolvedAgain ? 'sudah selesai lagi' : 'belum selesai'}</td></tr>`,
    )
    .join('');
  return (
    '<table id="tabel-dibuka-kembali"><thead><tr><th>Nomor tiket</th><th>Jenis</th><th>Kali dibuka kembali</th><th>Keadaan</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

function missedTable(e: Evaluation, labels: Labels): string {
  if (e.missed.length === 0)
    return none('tabel-target-terlewat', 'Semua pengaduan yang dapat dinilai selesai tepat waktu.');
  const body = e.missed
    .map(
      (m) =>
        `<tr data-kind="${esc(m.kind)}"><th scope="row">${esc(labels[m.kind] ?? m.kind)}</th>${num(m.missed, 'missed')}${num(m.decided, 'decided')}` +
        `<td data-field="share">${esc(formatShare(m.share))}</td></tr>`,
    )
    .join('');
  return (
    '<table id="tabel-target-terlewat"><thead><tr><th>Jenis pengaduan</th><th>Tidak tepat waktu</th><th>Dapat dinilai</th><th>Persen</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

const BLANK = '<span class="blank">&nbsp;</span>';

function planCells(plan: PlanLine | undefined): string {
  if (!plan)
    return `<td class="text">${BLANK}</td><td class="text">${BLANK}</td><td class="text">${BLANK}</td><td class="text" data-standing="none">belum ada rencana</td>`;
  return (
    `<td class="text">${esc(plan.action ?? '')}</td><td class="text">${esc(plan.who)}</td>` +
    `<td class="text" data-due="${esc(plan.due)}">${esc(formatOfficeDate(plan.due))}</td>` +
    `<td class="text standing-${plan.standing}" data-standing="${plan.standing}">${esc(PLAN_STANDING_LABELS[plan.standing])}</td>`
  );
}

function plansTable(e: Evaluation): string {
  const rows = [
    ...e.plans.map(({ problem, plan }) => ({ key: problem.key, title: problem.title, plan })),
    ...e.otherPlans.map((plan) => ({ key: plan.problem, title: '(tidak lagi ditandai pada rekap ini)', plan })),
  ];
  if (rows.length === 0) return none('tabel-rencana', 'Tidak ada masalah yang ditandai pada periode ini.');
  const body = rows
    .map(
      (r, i) =>
        `<tr data-problem="${esc(r.key)}"><td>${i + 1}</td><td class="text">${esc(r.title)}<br><code>${esc(r.key)}</code></td>${planCells(r.plan)}</tr>`,
    )
    .join('');
  return (
    '<table id="tabel-rencana" class="plans"><thead><tr><th>No.</th><th>Masalah</th><th>Tindak lanjut</th><th>Penanggung jawab</th><th>Batas waktu</th><th>Status</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

function carriedTable(e: Evaluation): string {
  if (e.carried.length === 0)
    return none('tabel-rencana-sebelumnya', 'Tidak ada rencana tindak lanjut dari bulan sebelumnya.');
  const body = e.carried
    .map(
      (p) =>
        `<tr data-problem="${esc(p.problem)}" data-period="${esc(p.period)}"><td class="text">${esc(monthName(p.period))}</td>` +
        `<td class="text"><code>${esc(p.problem)}</code></td>${planCells(p)}</tr>`,
    )
    .join('');
  return (
    '<table id="tabel-rencana-sebelumnya" class="plans"><thead><tr><th>Bulan</th><th>Masalah</th><th>Tindak lanjut</th><th>Penanggung jawab</th><th>Batas waktu</th><th>Status</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

export const EVALUATION_CSS = `
tr.flagged th, tr.flagged td { background: #fff4e5; }
td.flag { color: #B00020; font-weight: bold; }
td.tickets { white-space: normal; text-align: left; }
table.plans td { vertical-align: top; }
table.plans code { font-size: 10px; color: #555; }
td.standing-late { color: #B00020; font-weight: bold; }
td.standing-done { color: #006D3C; }
.blank { display: inline-block; min-width: 60px; border-bottom: 1px dotted #888; }
`;

export function evaluationHtml(e: Evaluation, labels: Labels, windowDays: number): string {
  return `<section id="masalah-berulang" class="page-break">
<h2>Masalah berulang (${formatNumber(e.problems.length)} ditandai)</h2>
<h3>Jenis pengaduan dibandingkan ${formatNumber(e.comparedWith.length)} bulan sebelumnya</h3>
${kindsTable(e, labels)}
<h3>Tema per jenis: frasa bukti klasifikasi, dibandingkan bulan lalu</h3>
${themesTable(e, labels)}
<h3>Warga yang mengadu lagi</h3>
${repeatsTable(e, labels, windowDays)}
<h3>Dibuka kembali setelah selesai (${formatNumber(e.reopened.length)})</h3>
${reopenedTable(e, labels)}
<h3>Jenis yang paling sering melewati batas waktu</h3>
${missedTable(e, labels)}
</section>
<section id="rencana-tindak-lanjut">
<h2>Rencana tindak lanjut</h2>
${plansTable(e)}
<h3>Tindak lanjut bulan sebelumnya</h3>
${carriedTable(e)}
</section>`;
}

/** CSV sections, each `[name, ...cells]` rows after a header row, like the recap's own. */
export function evaluationCsvSections(
  e: Evaluation,
  labels: Labels,
): Array<{ name: string; header: Cell[]; rows: Cell[][] }> {
  const plan = (p: PlanLine | undefined): Cell[] =>
    p ? [p.action ?? '', p.who, p.due, p.standing] : ['', '', '', 'belum_ada'];
  return [
    {
      name: 'jenis_meningkat',
      header: [
        'kode_jenis',
        'jenis',
        'periode_ini',
        ...e.comparedWith.map((p) => `bulan_${p.from.slice(0, 7)}`),
        'rata_rata',
        'meningkat',
      ],
      rows: e.kinds.map((k) => [
        k.kind,
        labels[k.kind],
        k.current,
        ...k.previous,
        Math.round(k.baseline * 100) / 100,
        k.rising ? 'ya' : 'tidak',
      ]),
    },
    {
      name: 'tema',
      header: ['kode_jenis', 'jenis', 'frasa', 'periode_ini', 'bulan_lalu', 'meningkat'],
      rows: e.themes.map((t) => [
        t.kind,
        labels[t.kind],
        t.phrase,
        t.current,
        t.previousMonth,
        t.rising ? 'ya' : 'tidak',
      ]),
    },
    {
      name: 'warga_berulang',
      header: ['kode_jenis', 'jenis', 'nomor_tiket', 'tiket_sebelumnya', 'selang_hari'],
      rows: e.repeats.repeats.map((r) => [r.kind, labels[r.kind], r.ticketNumber, r.earlierTicketNumber, r.days]),
    },
    {
      name: 'dibuka_kembali',
      header: ['nomor_tiket', 'kode_jenis', 'jenis', 'kali', 'selesai_lagi'],
      rows: e.reopened.map((r) => [r.ticketNumber, r.kind, labels[r.kind], r.times, r.resolvedAgain ? 'ya' : 'tidak']),
    },
    {
      name: 'target_terlewat',
      header: ['kode_jenis', 'jenis', 'tidak_tepat_waktu', 'dapat_dinilai', 'persen'],
      rows: e.missed.map((m) => [m.kind, labels[m.kind], m.missed, m.decided, Math.round(m.share * 1000) / 10]),
    },
    {
      name: 'rencana_tindak_lanjut',
      header: ['bulan', 'kode_masalah', 'masalah', 'tindak_lanjut', 'penanggung_jawab', 'batas_waktu', 'status'],
      rows: [
        ...e.plans.map(({ problem, plan: p }) => [e.month, problem.key, problem.title, ...plan(p)]),
        ...e.otherPlans.map((p) => [p.period, p.problem, '', ...plan(p)]),
        ...e.carried.map((p) => [p.period, p.problem, '', ...plan(p)]),
      ],
    },
  ];
}

/** Lines for the cover mail. */
export function evaluationMailLines(e: Evaluation): string[] {
  const standing = (s: string) => e.carried.filter((p) => p.standing === s).length;
  return [
    `Masalah berulang ditandai : ${formatNumber(e.problems.length)}`,
    ...e.problems.slice(0, 5).map((p) => `  - ${p.title}`),
    ...(e.problems.length > 5 ? [`  - dan ${formatNumber(e.problems.length - 5)} lainnya (lihat lampiran)`] : []),
    `Warga mengadu lagi       : ${formatNumber(e.repeats.citizens)}`,
    `Rencana tindak lanjut    : ${formatNumber(e.plans.filter((p) => p.plan).length)} dari ${formatNumber(e.problems.length)} masalah sudah ada rencananya`,
    ...(e.carried.length
      ? [
          `Tindak lanjut sebelumnya : ${standing('done')} selesai, ${standing('open')} berjalan, ${standing('late')} terlambat`,
        ]
      : []),
  ];
}
