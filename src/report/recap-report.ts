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
import type { OfficeCalendar } from '../domain/sla';
import type { Store } from '../store/store';
import { formatMinutes, formatNumber, formatPeriod, formatShare, periodName, zoneAbbreviation } from './format';
import { renderRecapCsv } from './recap-csv';
import { renderRecapHtml } from './recap-html';
import type { Satisfaction } from '../domain/recap-satisfaction';
import { toCsv } from '../lib/csv';
import {
  loadSatisfaction,
  satisfactionCoverLines,
  satisfactionCsvRows,
  withSatisfactionSection,
} from './recap-satisfaction';

export { previousMonth } from '../domain/recap';

export interface RecapReport {
  recap: Recap;
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
}

const DAY_MS = 86_400_000;

/**
 * Reads the period's tickets from the store and builds the recap with its HTML page, CSV and cover
 * mail. For `aduan report` and the monthly mail (`previousMonth(now, timeZone)` gives the period).
 */
export async function buildRecapReport(
  store: Pick<Store, 'listTickets' | 'listSurveyResponses' | 'getCursor'>,
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
  // The store compares receivedAt as text; a day of margin either side keeps a time written with
  // another offset from falling out. The exact cut is made by office date in computeRecap.
  const from = new Date(Date.parse(officeDayStart(period.from, calendar.timeZone)) - DAY_MS).toISOString();
  const to = new Date(Date.parse(officeDayStart(nextOfficeDate(period.to), calendar.timeZone)) + DAY_MS).toISOString();
  const tickets = await store.listTickets({ from, to });
  const recap = computeRecap({ tickets, categories: config.categories, teams: config.teams, calendar, period, now });
  const base = recapFileBase(period);
  const satisfaction = await loadSatisfaction(store, config, period, recap);
  return {
    recap,
    satisfaction,
    html: withSatisfactionSection(renderRecapHtml(recap), satisfaction),
    // One CSV: the satisfaction rows follow the recap's sections (without a second byte-order mark).
    csv: renderRecapCsv(recap) + toCsv(satisfactionCsvRows(satisfaction)).replace(/^\uFEFF/, ''),
    ...coverMail(recap, satisfactionCoverLines(satisfaction)),
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
export function coverMail(recap: Recap, extraFigures: string[] = []): { subject: string; text: string } {
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
    'Rincian per jenis dan per kanal, grafik, serta daftar pengaduan yang melewati batas waktu terlampir',
    '(HTML untuk dibaca dan dicetak; CSV untuk diolah di spreadsheet). Rekap ini tidak memuat data pribadi pelapor.',
    '',
    'Pesan ini dikirim otomatis oleh layanan pengaduan Disdukcapil Kabupaten Dairi.',
  ];
  return { subject, text: lines.join('\n') };
}
