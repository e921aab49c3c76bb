import type { GroupStats, Recap } from '../domain/recap';
import { formatJakartaTime } from '../domain/messages';
import { kindByChannelChart, withinTargetChart } from './recap-charts';
import { laporRecapSections } from './recap-lapor-html';
import {
  escapeHtml as esc,
  formatMinutes,
  formatNumber,
  formatPeriod,
  formatShare,
  periodName,
  zoneAbbreviation,
} from './format';

/**
 * The recap as one self-contained, printable HTML page in Bahasa Indonesia for the head of office:
 * no script, no external font, image or style sheet; charts are inline SVG. Every text is escaped.
 * Table cells carry data-* attributes (kind, channel, field, raw minutes) so the figures can be
 * checked by a program.
 */

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #222; margin: 0 auto; padding: 24px; max-width: 1000px; font-size: 13px; line-height: 1.4; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 8px; margin-bottom: 16px; }
header .org { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #444; }
h1 { margin: 4px 0; font-size: 24px; }
header p { margin: 2px 0; }
h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 3px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 8px 10px; }
.card .value { font-size: 22px; font-weight: bold; }
.card .what { font-size: 11px; color: #555; }
.card.alert .value { color: #B00020; }
figure { margin: 8px 0 12px; }
figure svg { width: 100%; max-width: 820px; height: auto; display: block; }
figcaption { font-size: 11px; color: #555; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 12px; }
th, td { border: 1px solid #bbb; padding: 3px 5px; }
thead th { background: #eef3f8; text-align: center; vertical-align: bottom; }
tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
td.text { text-align: left; white-space: normal; }
td.ticket, td.target { white-space: nowrap; }
tfoot th, tfoot td { font-weight: bold; background: #f6f6f6; }
td.zero { color: #999; }
td.late { color: #B00020; font-weight: bold; }
.none { font-style: italic; color: #555; }
.notes { font-size: 11px; color: #444; margin-top: 20px; border-top: 1px solid #ccc; padding-top: 6px; }
.notes li { margin: 2px 0; }
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 9pt; }
  h1 { font-size: 18pt; }
  h2 { font-size: 11.5pt; margin: 12px 0 6px; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 5px; }
  .card { padding: 4px 7px; }
  .card .value { font-size: 14pt; }
  .card .what { font-size: 7.5pt; }
  figure { margin: 4px 0 6px; }
  figure svg { max-width: 165mm; margin: 0 auto; }
  table { font-size: 7.5pt; margin: 4px 0 6px; }
  th, td { padding: 1.5px 3px; }
  th[scope="row"] { min-width: 42mm; }
  thead { display: table-header-group; }
  /* A total row belongs at the end of the table, not at the foot of every printed page. */
  tfoot { display: table-row-group; }
  tr, figure, .card, .cards, #tabel-per-kanal { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .page-break { break-before: page; page-break-before: always; }
  .notes { font-size: 7.5pt; }
}
`;

function summaryCards(recap: Recap): string {
  const t = recap.total;
  const card = (value: string, what: string, field: string, alert = false) =>
    `<div class="card${alert ? ' alert' : ''}" data-field="${field}"><div class="value">${esc(value)}</div><div class="what">${esc(what)}</div></div>`;
  return `<section class="cards" id="ringkasan">${[
    card(formatNumber(t.count), 'Pengaduan masuk', 'count'),
    card(formatNumber(t.resolved), 'Selesai', 'resolved'),
    card(formatNumber(t.open), 'Belum selesai', 'open'),
    card(formatNumber(t.overdue), 'Belum selesai dan melewati batas waktu', 'overdue', t.overdue > 0),
    card(formatNumber(t.reopened), 'Dibuka kembali setelah selesai', 'reopened'),
    card(
      formatShare(t.withinTargetShare),
      `Selesai tepat waktu (${t.withinTarget} dari ${t.targetDecided} yang dapat dinilai)`,
      'within-target',
    ),
    card(formatMinutes(t.firstResponse.median), 'Median waktu respon awal (jam kerja)', 'first-response-median'),
    card(formatMinutes(t.resolution.median), 'Median waktu penyelesaian (jam kerja)', 'resolution-median'),
    card(formatMinutes(t.resolution.p90), 'P90 waktu penyelesaian (jam kerja)', 'resolution-p90'),
  ].join('')}</section>`;
}

function num(value: number, field: string, extra = ''): string {
  return `<td data-field="${field}"${value === 0 ? ' class="zero"' : ''}${extra}>${formatNumber(value)}</td>`;
}

function minutes(value: number | undefined, field: string): string {
  return `<td data-field="${field}"${value === undefined ? '' : ` data-minutes="${value}"`}>${esc(formatMinutes(value))}</td>`;
}

function groupCells(g: GroupStats): string {
  return [
    num(g.count, 'count'),
    num(g.resolved, 'resolved'),
    num(g.overdue, 'overdue'),
    minutes(g.firstResponse.median, 'first-response-median'),
    minutes(g.firstResponse.p90, 'first-response-p90'),
    minutes(g.resolution.median, 'resolution-median'),
    minutes(g.resolution.p90, 'resolution-p90'),
    `<td data-field="within-target" data-within="${g.withinTarget}" data-decided="${g.targetDecided}">${esc(formatShare(g.withinTargetShare))}${g.targetDecided ? ` <small>(${g.withinTarget}/${g.targetDecided})</small>` : ''}</td>`,
  ].join('');
}

const GROUP_HEAD_1 =
  '<th rowspan="2">Masuk</th><th rowspan="2">Selesai</th><th rowspan="2">Terlambat</th>' +
  '<th colspan="2">Respon awal</th><th colspan="2">Penyelesaian</th><th rowspan="2">Tepat waktu</th>';
const GROUP_HEAD_2 = '<th>Median</th><th>P90</th><th>Median</th><th>P90</th>';

function matrixTable(recap: Recap): string {
  const m = recap.matrix;
  const labels = new Map(recap.byKind.map((k) => [k.key, k.label]));
  const channelLabels = new Map(recap.byChannel.map((c) => [c.key, c.label]));
  const head = `<tr><th>Jenis pengaduan</th>${m.channels.map((c) => `<th data-channel="${esc(c)}">${esc(channelLabels.get(c) ?? c)}</th>`).join('')}<th>Jumlah</th></tr>`;
  const body = m.kinds
    .map(
      (kind, k) =>
        `<tr data-kind="${esc(kind)}"><th scope="row">${esc(labels.get(kind) ?? kind)}</th>` +
        m.channels.map((c, i) => num(m.counts[k]?.[i] ?? 0, 'count', ` data-channel="${esc(c)}"`)).join('') +
        num(m.kindTotals[k] ?? 0, 'total') +
        '</tr>',
    )
    .join('');
  const foot =
    `<tr data-kind="total"><th scope="row">Jumlah</th>${m.channels.map((c, i) => num(m.channelTotals[i] ?? 0, 'count', ` data-channel="${esc(c)}"`)).join('')}` +
    `${num(m.total, 'total')}</tr>`;
  return `<table id="tabel-jenis-kanal"><thead>${head}</thead><tbody>${body}</tbody><tfoot>${foot}</tfoot></table>`;
}

function kindTable(recap: Recap): string {
  const body = recap.byKind
    .map(
      (k) =>
        `<tr data-kind="${esc(k.key)}"><th scope="row">${esc(k.label)}</th><td class="text target">${esc(k.targetText)}</td>${groupCells(k)}</tr>`,
    )
    .join('');
  return (
    `<table id="tabel-per-jenis"><thead><tr><th rowspan="2">Jenis pengaduan</th><th rowspan="2">Target</th>${GROUP_HEAD_1}</tr><tr>${GROUP_HEAD_2}</tr></thead>` +
    `<tbody>${body}</tbody><tfoot><tr data-kind="total"><th scope="row">Jumlah</th><td></td>${groupCells(recap.total)}</tr></tfoot></table>`
  );
}

function channelTable(recap: Recap): string {
  const body = recap.byChannel
    .map((c) => `<tr data-channel="${esc(c.key)}"><th scope="row">${esc(c.label)}</th>${groupCells(c)}</tr>`)
    .join('');
  return (
    `<table id="tabel-per-kanal"><thead><tr><th rowspan="2">Kanal</th>${GROUP_HEAD_1}</tr><tr>${GROUP_HEAD_2}</tr></thead>` +
    `<tbody>${body}</tbody><tfoot><tr data-channel="total"><th scope="row">Jumlah</th>${groupCells(recap.total)}</tr></tfoot></table>`
  );
}

const dueFormats = new Map<string, Intl.DateTimeFormat>();
/** "1 Okt 2026 12.27": short enough for a table column. */
function formatDueTime(iso: string, timeZone: string): string {
  let format = dueFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('id-ID', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dueFormats.set(timeZone, format);
  }
  return format.format(new Date(iso)).replace(',', '');
}

function overdueTable(recap: Recap, zone: string): string {
  if (recap.overdue.length === 0)
    return '<p class="none" id="tabel-terlambat">Tidak ada pengaduan yang melewati batas waktu.</p>';
  const body = recap.overdue
    .map(
      (o, i) =>
        `<tr data-ticket="${esc(o.ticketNumber)}"><td>${i + 1}</td><td class="text ticket">${esc(o.ticketNumber)}</td><td class="text">${esc(o.kindLabel)}</td>` +
        `<td class="text">${esc(o.channelLabel)}</td><td class="text">${esc(o.teamName)}</td>` +
        `<td class="text" data-due="${esc(o.dueAt)}">${esc(formatDueTime(o.dueAt, recap.timeZone))} ${esc(zone)}</td>` +
        `<td class="late" data-field="late" data-minutes="${o.lateMinutes}">${esc(formatMinutes(o.lateMinutes))}</td></tr>`,
    )
    .join('');
  return (
    '<table id="tabel-terlambat"><thead><tr><th>No.</th><th>Nomor tiket</th><th>Jenis</th><th>Kanal</th><th>Tim</th><th>Batas waktu</th><th>Terlambat (jam kerja)</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

/**
 * What a report adds around the recap's own tables, already rendered (escaped) by its module: the
 * letterhead and document number (letterhead.ts), more sections (e.g. recap-evaluation.ts), the
 * signature block, and their style rules.
 */
export interface RecapHtmlExtras {
  letterhead?: string;
  documentNumber?: string;
  sections?: string[];
  closing?: string;
  style?: string;
}

export function renderRecapHtml(recap: Recap, extras: RecapHtmlExtras = {}): string {
  const zone = zoneAbbreviation(recap.timeZone);
  const name = periodName(recap.period);
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Rekapitulasi Pengaduan — ${name}`)}</title>
<style>${STYLE}${extras.style ?? ''}</style>
</head>
<body>
<header>
${extras.letterhead ?? '<p class="org">Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi</p>'}
<h1>Rekapitulasi Pengaduan</h1>
${extras.documentNumber ? `<p class="docnumber" id="nomor-dokumen">Nomor: ${esc(extras.documentNumber)}</p>` : ''}
<p class="period">Periode: <strong>${esc(formatPeriod(recap.period))}</strong></p>
<p class="asat">Keadaan per ${esc(formatJakartaTime(recap.generatedAt, recap.timeZone))} ${esc(zone)}</p>
</header>
<main>
${summaryCards(recap)}
<section id="jenis-kanal">
<h2>Pengaduan per jenis dan kanal</h2>
<figure>${kindByChannelChart(recap)}<figcaption>Jumlah pengaduan masuk per jenis; warna menunjukkan kanal.</figcaption></figure>
${matrixTable(recap)}
</section>
<section id="per-jenis" class="page-break">
<h2>Waktu layanan dan ketepatan waktu per jenis</h2>
<figure>${withinTargetChart(recap)}<figcaption>Persentase pengaduan yang selesai paling lambat pada batas waktunya, per jenis.</figcaption></figure>
${kindTable(recap)}
</section>
<section id="per-kanal">
<h2>Per kanal</h2>
${channelTable(recap)}
</section>
<section id="terlambat">
<h2>Pengaduan yang melewati batas waktu (${formatNumber(recap.overdue.length)})</h2>
${overdueTable(recap, zone)}
</section>
${laporRecapSections(recap)}
${(extras.sections ?? []).join('\n')}
</main>
<footer class="notes">
<strong>Keterangan</strong>
<ul>
<li>Pengaduan dihitung menurut tanggal diterima (${esc(recap.timeZone)}), dari tanggal awal sampai tanggal akhir periode. Status dan waktu menurut keadaan saat rekap dibuat.</li>
<li>Waktu respon awal dan waktu penyelesaian dihitung dalam jam kerja kantor (di luar jam layanan, akhir pekan dan hari libur tidak dihitung). Pengaduan tatap muka dan call center dijawab saat diterima.</li>
<li>Median dan P90 memakai metode peringkat terdekat (<i>nearest-rank</i>): dari n nilai yang diurutkan, P90 adalah nilai ke-⌈0,9 × n⌉ dan median nilai ke-⌈0,5 × n⌉. Artinya 90% pengaduan selesai dalam waktu P90 atau kurang.</li>
<li>Tepat waktu: selesai paling lambat pada batas waktu. Persentase dihitung dari pengaduan yang sudah dapat dinilai, yaitu yang sudah selesai ditambah yang belum selesai tetapi sudah melewati batas waktu.</li>
<li>Rekap ini tidak memuat data pribadi pelapor.</li>
</ul>
</footer>
${extras.closing ?? ''}
</body>
</html>
`;
}
