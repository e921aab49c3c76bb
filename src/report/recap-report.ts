import type { AppConfig } from '../config/schema';
import { formatJakartaTime } from '../domain/messages';
import {
  computeRecap,
  nextOfficeDate,
  officeDayStart,
  validatePeriod,
  type Recap,
  type RecapPeriod,
} from '../domain/recap';
import { computeEvaluation, type Evaluation } from '../domain/evaluation';
import { monthsBefore } from '../domain/recurrence';
import { officeDate, type OfficeCalendar } from '../domain/sla';
import type { Store } from '../store/store';
import { formatMinutes, formatNumber, formatPeriod, formatShare, periodName, zoneAbbreviation } from './format';
import { documentNumber, letterheadHtml, logoDataUri, printFooterCss, signatureHtml } from './letterhead';
import { renderRecapCsv } from './recap-csv';
import { EVALUATION_CSS, evaluationCsvSections, evaluationHtml, evaluationMailLines } from './recap-evaluation';
import { renderRecapHtml } from './recap-html';
import type { Satisfaction } from '../domain/recap-satisfaction';
import { toCsv } from '../lib/csv';
import {
  loadSatisfaction,
  satisfactionCoverLines,
  satisfactionCsvRows,
  renderSatisfactionHtml,
} from './recap-satisfaction';

export { previousMonth } from '../domain/recap';

export interface RecapReport {
  recap: Recap;
  /** Recurring problems and follow-up plans (docs/recap-report.md). */
  evaluation: Evaluation;
  /** As printed under the title (reports.documentNumber). */
  documentNumber: string;
  /** The satisfaction section's figures (recap-satisfaction.ts). */
  satisfaction: Satisfaction;
  /** Self-contained printable page (attachment). */
  html: string;
  /** Sectioned CSV for spreadsheets (attachment). */
  csv: string;
  /** Indonesian cover mail. */
  subject: string;
  text: string;
  /** Suggested attachment names: rekap-pengaduan-2026-11.html / .csv, or with both dates. */
  filenames: { html: string; csv: string };
}

export interface RecapOptions extends RecapPeriod {
  /** The recap is as at this instant (default: the current time). */
  now?: Date;
  /** The config folder, which reports.letterhead.logoFile is relative to (default: the current folder). */
  configDir?: string;
}

const DAY_MS = 86_400_000;

/**
 * Reads the period's tickets from the store and builds the recap with its HTML page, CSV and cover
 * mail. For `aduan report` and the monthly mail (`previousMonth(now, timeZone)` gives the period).
 */
export async function buildRecapReport(
  store: Pick<Store, 'listTickets' | 'listFollowUpPlans' | 'listSurveyResponses' | 'getCursor'>,
  config: AppConfig,
  options: RecapOptions,
): Promise<RecapReport> {
  const period: RecapPeriod = { from: options.from, to: options.to };
  validatePeriod(period);
  const now = options.now ?? new Date();
  const calendar: OfficeCalendar = {
    timeZone: config.service.timeZone,
    hours: config.calendar.hours,
    holidays: config.calendar.holidays,
  };
  // Earlier months are read too: the comparison months and the repeat window before the period.
  const settings = config.reports.evaluation;
  const month = period.from.slice(0, 7);
  const earliest = [monthsBefore(month, settings.compareMonths).at(-1)!.from, period.from]
    .map((day) => Date.parse(officeDayStart(day, calendar.timeZone)))
    .map((start, i) => (i === 1 ? start - settings.repeatWindowDays * DAY_MS : start));
  // The store compares receivedAt as text; a day of margin either side keeps a time written with
  // another offset from falling out. The exact cut is made by office date in computeRecap.
  const from = new Date(Math.min(...earliest) - DAY_MS).toISOString();
  const to = new Date(Date.parse(officeDayStart(nextOfficeDate(period.to), calendar.timeZone)) + DAY_MS).toISOString();
  const tickets = await store.listTickets({ from, to });
  const recap = computeRecap({
    tickets,
    categories: config.categories,
    teams: config.teams,
    calendar,
    period,
    now,
    lapor: config.channels.lapor,
  });
  const labels = Object.fromEntries(Object.entries(config.categories).map(([k, c]) => [k, c.label])) as Record<
    keyof typeof config.categories,
    string
  >;
  const evaluation = computeEvaluation({
    tickets: tickets.filter((t) => Date.parse(t.receivedAt) <= now.getTime()),
    period,
    byKind: recap.byKind,
    labels,
    timeZone: calendar.timeZone,
    now,
    plans: await store.listFollowUpPlans(month),
    settings: {
      compareMonths: settings.compareMonths,
      repeatWindowDays: settings.repeatWindowDays,
      rising: { minCount: settings.minCount, minIncrease: settings.minIncrease, minRatio: settings.minRatio },
      themesPerKind: 3,
    },
  });
  const { letterhead, signature } = config.reports;
  const logo = letterhead.logoFile ? logoDataUri(letterhead.logoFile, options.configDir ?? process.cwd()) : undefined;
  const number = documentNumber(config.reports.documentNumber, period);
  const base = recapFileBase(period);
  const satisfaction = await loadSatisfaction(store, config, period, recap);
  const cover = coverMail(recap, satisfactionCoverLines(satisfaction), evaluationMailLines(evaluation));
  return {
    recap,
    evaluation,
    satisfaction,
    documentNumber: number,
    html: renderRecapHtml(recap, {
      letterhead: letterheadHtml(letterhead, logo),
      documentNumber: number,
      sections: [renderSatisfactionHtml(satisfaction), evaluationHtml(evaluation, labels, settings.repeatWindowDays)],
      closing: signatureHtml(signature, officeDate(now.toISOString(), calendar.timeZone)),
      style: printFooterCss(number) + EVALUATION_CSS,
    }),
    // The satisfaction rows follow the recap's sections in the one CSV (without a second byte-order mark).
    csv:
      renderRecapCsv(recap, [
        { name: 'dokumen', header: ['kunci', 'nilai'], rows: [['nomor', number]] },
        ...evaluationCsvSections(evaluation, labels),
      ]) + toCsv(satisfactionCsvRows(satisfaction)).replace(/^\uFEFF/, ''),
    ...cover,
    filenames: { html: `${base}.html`, csv: `${base}.csv` },
  };
}

function recapFileBase(period: RecapPeriod): string {
  const month = period.from.slice(0, 7);
  const last = new Date(Date.parse(`${period.from}T12:00:00Z`));
  last.setUTCMonth(last.getUTCMonth() + 1, 0);
  const whole = period.from.endsWith('-01') && last.toISOString().slice(0, 10) === period.to;
  return whole ? `rekap-pengaduan-${month}` : `rekap-pengaduan-${period.from}_${period.to}`;
}

/** The Indonesian cover mail with the key figures; the details are in the attachments. */
/** `extraFigures` join the key figures (the survey's); `extraLines` follow them (the evaluation's). */
export function coverMail(
  recap: Recap,
  extraFigures: readonly string[] = [],
  extraLines: readonly string[] = [],
): { subject: string; text: string } {
  const t = recap.total;
  const zone = zoneAbbreviation(recap.timeZone);
  const subject = `Rekap pengaduan ${periodName(recap.period)}: ${formatNumber(t.count)} pengaduan, ${formatNumber(t.resolved)} selesai, ${formatNumber(t.overdue)} terlambat`;
  const top = <T extends { label: string; count: number }>(groups: T[]) =>
    groups
      .filter((g) => g.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .map((g) => `${g.label} (${formatNumber(g.count)})`)
      .join(', ') || '-';
  const lines = [
    'Yth. Bapak/Ibu Pimpinan,',
    '',
    `Berikut rekapitulasi pengaduan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi periode ${formatPeriod(recap.period)}`,
    `(keadaan per ${formatJakartaTime(recap.generatedAt, recap.timeZone)} ${zone}).`,
    '',
    `Pengaduan masuk          : ${formatNumber(t.count)}`,
    `Selesai                  : ${formatNumber(t.resolved)}`,
    `Belum selesai            : ${formatNumber(t.open)}, di antaranya ${formatNumber(t.overdue)} melewati batas waktu`,
    `Dibuka kembali           : ${formatNumber(t.reopened)} (warga menulis lagi setelah pengaduan selesai)`,
    ...(t.historical > 0
      ? [`Riwayat diimpor          : ${formatNumber(t.historical)} (tidak dinilai terhadap batas waktu)`]
      : []),
    `Selesai tepat waktu      : ${formatShare(t.withinTargetShare)} (${formatNumber(t.withinTarget)} dari ${formatNumber(t.targetDecided)} yang dapat dinilai)`,
    `Respon awal, median      : ${formatMinutes(t.firstResponse.median)}`,
    `Penyelesaian, median/P90 : ${formatMinutes(t.resolution.median)} / ${formatMinutes(t.resolution.p90)}`,
    '(waktu dalam jam kerja kantor; waktu menunggu tanggapan warga tidak dihitung)',
    ...(extraFigures.length ? ['', ...extraFigures] : []),
    '',
    `Jenis terbanyak : ${top(recap.byKind)}`,
    `Kanal terbanyak : ${top(recap.byChannel)}`,
    '',
    ...(extraLines.length ? [...extraLines, ''] : []),
    'Rincian per jenis dan per kanal, grafik, serta daftar pengaduan yang melewati batas waktu terlampir',
    '(HTML untuk dibaca dan dicetak; CSV untuk diolah di spreadsheet). Rekap ini tidak memuat data pribadi pelapor.',
    '',
    'Pesan ini dikirim otomatis oleh layanan pengaduan Disdukcapil Kabupaten Dairi.',
  ];
  return { subject, text: lines.join('\n') };
}
