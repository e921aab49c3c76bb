import type { AppConfig } from '../config/schema';
import { nextOfficeDate, officeDayStart, type Recap, type RecapPeriod } from '../domain/recap';
import { computeSatisfaction, type Satisfaction, type SatisfactionGroup } from '../domain/recap-satisfaction';
import type { Store } from '../store/store';
import { serviceUsersKey } from '../survey/links';
import type { SkmResult } from '../domain/skm';
import { escapeHtml as esc, formatMinutes, formatNumber, wholeMonth } from './format';

/**
 * The satisfaction section of the recap in its three forms (HTML section, CSV rows, cover-mail lines), kept
 * apart from the rest of the recap so each part can grow on its own. Two sources, two headings: the
 * post-complaint survey is never called the SKM.
 */

const CLOSURE_TITLE = 'Survei kepuasan pasca-pengaduan';
const CLOSURE_NOTE =
  'Diisi oleh pelapor setelah pengaduannya selesai: sampel yang hanya mencakup pelapor, bukan Survei Kepuasan Masyarakat (SKM) resmi.';
const SERVICE_TITLE = 'Survei Kepuasan Masyarakat (SKM) pengguna layanan';

const decimal = (value: number | undefined, digits = 2) =>
  value === undefined
    ? '-'
    : value.toLocaleString('id-ID', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function gradeText(r: { converted?: number; grade?: string; gradeLabel?: string }): string {
  return r.converted === undefined
    ? '-'
    : `${decimal(r.converted)} (${r.grade}${r.gradeLabel ? `, ${r.gradeLabel}` : ''})`;
}

function groupTable(id: string, heading: string, groups: SatisfactionGroup[], times: boolean): string {
  if (groups.length === 0) return '';
  const rows = groups
    .map(
      (g) =>
        `<tr data-key="${esc(g.key)}"><th scope="row">${esc(g.label)}</th><td data-field="n">${formatNumber(g.n)}</td>` +
        `<td data-field="overall">${decimal(g.overall?.mean)}</td><td data-field="skm">${esc(gradeText(g))}</td>` +
        (times
          ? `<td data-field="first-response-median">${esc(formatMinutes(g.firstResponseMedian))}</td><td data-field="resolution-median">${esc(formatMinutes(g.resolutionMedian))}</td>`
          : '') +
        '</tr>',
    )
    .join('\n');
  const timeHead = times ? '<th>Respon awal (median)</th><th>Penyelesaian (median)</th>' : '';
  return `<table id="${id}"><caption>${esc(heading)}</caption><thead><tr><th>${esc(capitalised(heading.replace(/^Per /, '')))}</th><th>Responden</th><th>Rata-rata penilaian (1–4)</th><th>Nilai unsur (25–100)</th>${timeHead}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function elementTable(id: string, result: SkmResult): string {
  const rows = result.elements
    .map(
      (e) =>
        `<tr data-key="${esc(e.key)}"><th scope="row">${esc(e.key)} ${esc(e.label)}</th><td data-field="n">${formatNumber(e.n)}</td><td data-field="nrr">${decimal(e.nrr, 3)}</td></tr>`,
    )
    .join('\n');
  return `<table id="${id}"><thead><tr><th>Unsur</th><th>Menjawab</th><th>NRR (1–4)</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function suggestions(items: string[]): string {
  if (items.length === 0) return '';
  return `<h3>Kritik dan saran</h3><ul class="saran">${items.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
}

export function renderSatisfactionHtml(s: Satisfaction): string {
  const c = s.closure;
  const v = s.service;
  const lowest = c.lowest.length
    ? `<table id="survei-terendah"><caption>Tiket dengan penilaian terendah</caption><thead><tr><th>Tiket</th><th>Jenis</th><th>Kanal</th><th>Penilaian (1–4)</th><th>Nilai unsur</th><th>Saran</th></tr></thead><tbody>
${c.lowest
  .map(
    (t) =>
      `<tr><td>${esc(t.ticketNumber)}</td><td>${esc(t.kindLabel)}</td><td>${esc(t.channelLabel)}</td><td data-field="overall">${t.overall ?? '-'}</td><td>${decimal(t.converted)}</td><td>${esc(t.suggestion ?? '')}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
    : '';
  const reach =
    v.target === undefined
      ? 'Jumlah pengguna layanan periode ini belum diisi (aduan survey users): target sampel tidak dapat dihitung; hasil belum representatif.'
      : `Pengguna layanan ${formatNumber(v.population!)}; target sampel Krejcie–Morgan ${formatNumber(v.target)}; responden ${formatNumber(v.result.n)}: ${v.representative ? 'memenuhi target sampel' : 'belum representatif'}.`;
  return `<section id="kepuasan" class="page-break">
<h2>Kepuasan masyarakat</h2>
<h3>${CLOSURE_TITLE}</h3>
<p class="note">${esc(CLOSURE_NOTE)}</p>
<p id="survei-pasca-ringkas">Responden: <strong data-field="n">${formatNumber(c.result.n)}</strong>; rata-rata penilaian penanganan (1–4): <strong data-field="overall">${decimal(c.result.overall?.mean)}</strong>; nilai unsur: <strong data-field="skm">${esc(gradeText(c.result))}</strong>.</p>
${groupTable('survei-per-jenis', 'Per jenis', c.byKind, true)}
${groupTable('survei-per-kanal', 'Per kanal', c.byChannel, true)}
${groupTable('survei-per-tim', 'Per tim', c.byTeam, false)}
${lowest}
${suggestions(c.result.suggestions)}
<h3>${SERVICE_TITLE}</h3>
<p id="skm-ringkas">Responden: <strong data-field="n">${formatNumber(v.result.n)}</strong>; nilai SKM: <strong data-field="skm">${esc(gradeText(v.result))}</strong>; nilai 1–4: ${decimal(v.result.skm, 3)}.</p>
<p id="skm-sampel" data-representative="${v.representative}">${esc(reach)}</p>
${v.result.n ? elementTable('skm-unsur', v.result) : ''}
${v.result.lowest.length ? `<p>Unsur terendah: ${esc(v.result.lowest.map((e) => `${e.key} ${e.label} (${decimal(e.nrr, 3)})`).join('; '))}</p>` : ''}
${suggestions(v.result.suggestions)}
</section>`;
}

/** Inserts the section at the end of the recap page's main part. */
export function withSatisfactionSection(html: string, s: Satisfaction): string {
  const at = html.lastIndexOf('</main>');
  return at < 0 ? html : `${html.slice(0, at)}${renderSatisfactionHtml(s)}\n${html.slice(at)}`;
}

type Cell = string | number | undefined;

export function satisfactionCsvRows(s: Satisfaction): Cell[][] {
  const rows: Cell[][] = [
    ['bagian', 'sumber', 'kelompok', 'kunci', 'label', 'responden', 'rata_rata_1_4', 'nilai_25_100', 'mutu'],
  ];
  const group = (name: string, groups: SatisfactionGroup[]) => {
    for (const g of groups)
      rows.push(['kepuasan', 'pasca-pengaduan', name, g.key, g.label, g.n, g.overall?.mean, g.converted, g.grade]);
  };
  const c = s.closure.result;
  rows.push(['kepuasan', 'pasca-pengaduan', 'total', '', '', c.n, c.overall?.mean, c.converted, c.grade]);
  group('jenis', s.closure.byKind);
  group('kanal', s.closure.byChannel);
  group('tim', s.closure.byTeam);
  const v = s.service.result;
  rows.push(['kepuasan', 'skm-layanan', 'total', '', '', v.n, v.skm, v.converted, v.grade]);
  for (const e of v.elements)
    rows.push(['kepuasan', 'skm-layanan', 'unsur', e.key, e.label, e.n, e.nrr, undefined, undefined]);
  rows.push([
    'kepuasan',
    'skm-layanan',
    'sampel',
    'target',
    s.service.representative ? 'memenuhi' : 'belum representatif',
    s.service.population,
    s.service.target,
    undefined,
    undefined,
  ]);
  rows.push([]);
  return rows;
}

export function satisfactionCoverLines(s: Satisfaction): string[] {
  const c = s.closure.result;
  const v = s.service.result;
  return [
    `Survei pasca-pengaduan   : ${formatNumber(c.n)} responden, rata-rata ${decimal(c.overall?.mean)} dari 4 (bukan SKM resmi)`,
    `SKM pengguna layanan     : ${formatNumber(v.n)} responden, nilai ${gradeText(v)}${s.service.representative ? '' : ' — belum representatif'}`,
  ];
}

/** The period's responses and service-user count from the store (and config), and the section's figures. */
export async function loadSatisfaction(
  store: Pick<Store, 'listSurveyResponses' | 'getCursor'>,
  config: AppConfig,
  period: RecapPeriod,
  recap: Recap,
): Promise<Satisfaction> {
  const zone = config.service.timeZone;
  const responses = await store.listSurveyResponses(
    officeDayStart(period.from, zone),
    officeDayStart(nextOfficeDate(period.to), zone),
  );
  // wholeMonth names the month ("November 2026"); the key is YYYY-MM.
  const month = wholeMonth(period) ? period.from.slice(0, 7) : undefined;
  const entered = month ? await store.getCursor(serviceUsersKey(month)) : undefined;
  const serviceUsers = entered !== undefined ? Number(entered) : month ? config.survey.serviceUsers[month] : undefined;
  return computeSatisfaction({
    responses,
    instrument: config.survey.instrument,
    recap,
    kindLabels: config.categories,
    teams: config.teams,
    ...(serviceUsers !== undefined && Number.isFinite(serviceUsers) ? { serviceUsers } : {}),
  });
}
