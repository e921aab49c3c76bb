import type { DurationStats, GroupStats, Recap } from '../domain/recap';
import { toCsv } from '../lib/csv';
import { officeLocalTime } from './format';
import { laporCsvSections } from './recap-lapor-csv';

/**
 * The recap as CSV for spreadsheets, in sections: the same tables as the printed page, one below the
 * other, so staff can open it and copy a table into their own monthly report. Every row starts with
 * the section's name (column A), so filtering column A gives one table, and a program can read the
 * file by splitting on it:
 *
 *   bagian=info      key/value rows: title, period, generated at
 *   bagian=ringkasan measure/value rows
 *   bagian=jenis_kanal  one row per kind, one column per channel (headed by its code; the names are in
 *                       per_kanal), plus totals
 *   bagian=per_jenis    one row per kind (+ total row)
 *   bagian=per_kanal    one row per channel (+ total row)
 *   bagian=terlambat    one row per overdue ticket
 *
 * Each section begins with its header row (column A "bagian") and ends with an empty line. Clock
 * times are office local time "YYYY-MM-DD HH:MM" (zone in info/zona_waktu); durations are whole
 * working minutes; shares are percentages with one decimal (dot as decimal separator); codes
 * (kind and channel keys) stand beside the Indonesian names. No personal data.
 */

type Cell = string | number | undefined;

const GROUP_HEADER = [
  'jumlah',
  'selesai',
  'belum_selesai',
  'terlambat',
  'respon_awal_diukur',
  'respon_awal_median_menit_kerja',
  'respon_awal_p90_menit_kerja',
  'penyelesaian_diukur',
  'penyelesaian_median_menit_kerja',
  'penyelesaian_p90_menit_kerja',
  'selesai_tepat_waktu',
  'dasar_tepat_waktu',
  'persen_tepat_waktu',
];

function durationCells(d: DurationStats): Cell[] {
  return [d.measured, d.median, d.p90];
}

export function percent(share: number | undefined): number | undefined {
  return share === undefined ? undefined : Math.round(share * 1000) / 10;
}

function groupCells(g: GroupStats): Cell[] {
  return [
    g.count,
    g.resolved,
    g.open,
    g.overdue,
    ...durationCells(g.firstResponse),
    ...durationCells(g.resolution),
    g.withinTarget,
    g.targetDecided,
    percent(g.withinTargetShare),
  ];
}

/** A section a report adds after the recap's own (e.g. recap-evaluation.ts), in the same layout. */
export interface CsvSection {
  name: string;
  header: Cell[];
  rows: Cell[][];
}

export function renderRecapCsv(recap: Recap, extraSections: readonly CsvSection[] = []): string {
  const rows: Cell[][] = [];
  const section = (name: string, header: Cell[], body: Cell[][]) => {
    rows.push(['bagian', ...header]);
    for (const row of body) rows.push([name, ...row]);
    rows.push([]);
  };

  section(
    'info',
    ['kunci', 'nilai'],
    [
      ['judul', 'Rekapitulasi Pengaduan'],
      ['instansi', 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi'],
      ['periode_dari', recap.period.from],
      ['periode_sampai', recap.period.to],
      ['zona_waktu', recap.timeZone],
      ['keadaan_per', officeLocalTime(recap.generatedAt, recap.timeZone)],
      ['persentil', 'nearest-rank: nilai ke-ceil(p/100*n) dari n nilai terurut'],
    ],
  );

  const t = recap.total;
  section(
    'ringkasan',
    ['ukuran', 'nilai'],
    [
      ['jumlah_pengaduan', t.count],
      ['selesai', t.resolved],
      ['belum_selesai', t.open],
      ['terlambat', t.overdue],
      ['dibuka_kembali', t.reopened],
      ['selesai_tepat_waktu', t.withinTarget],
      ['dasar_tepat_waktu', t.targetDecided],
      ['persen_tepat_waktu', percent(t.withinTargetShare)],
      ['respon_awal_median_menit_kerja', t.firstResponse.median],
      ['respon_awal_p90_menit_kerja', t.firstResponse.p90],
      ['penyelesaian_median_menit_kerja', t.resolution.median],
      ['penyelesaian_p90_menit_kerja', t.resolution.p90],
    ],
  );

  const m = recap.matrix;
  const kindLabel = new Map(recap.byKind.map((k) => [k.key, k.label]));
  section(
    'jenis_kanal',
    ['kode_jenis', 'jenis', ...m.channels, 'jumlah'],
    [
      ...m.kinds.map((kind, k) => [kind, kindLabel.get(kind) ?? kind, ...(m.counts[k] ?? []), m.kindTotals[k]]),
      ['total', 'Jumlah', ...m.channelTotals, m.total],
    ],
  );

  section(
    'per_jenis',
    ['kode_jenis', 'jenis', 'target', 'tim', ...GROUP_HEADER],
    [
      ...recap.byKind.map((k) => [k.key, k.label, k.target, k.team, ...groupCells(k)]),
      ['total', 'Jumlah', '', '', ...groupCells(recap.total)],
    ],
  );

  section(
    'per_kanal',
    ['kode_kanal', 'kanal', ...GROUP_HEADER],
    [
      ...recap.byChannel.map((c) => [c.key, c.label, ...groupCells(c)]),
      ['total', 'Jumlah', ...groupCells(recap.total)],
    ],
  );

  section(
    'terlambat',
    [
      'nomor_tiket',
      'kode_jenis',
      'jenis',
      'kode_kanal',
      'kanal',
      'tim',
      'nama_tim',
      'batas_waktu',
      'terlambat_menit_kerja',
    ],
    recap.overdue.map((o) => [
      o.ticketNumber,
      o.kind,
      o.kindLabel,
      o.channel,
      o.channelLabel,
      o.team,
      o.teamName,
      officeLocalTime(o.dueAt, recap.timeZone),
      o.lateMinutes,
    ]),
  );

  for (const extra of laporCsvSections(recap)) section(extra.name, extra.header, extra.body);
  for (const extra of extraSections) section(extra.name, extra.header, extra.rows);

  return toCsv(rows);
}
