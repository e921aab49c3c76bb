import { CHANNEL_KEYS } from '../../../src/domain/channels';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../../src/config/load';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import { createStore, officeCalendar } from '../../../src/main';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { PERSONAL, planOctoberTickets } from '../../support/recap-tickets';

/**
 * `aduan report` end to end: tickets written to a real store through its API, the CLI run as a
 * process, and every figure of the CSV and HTML compared with counts made here, independently of the
 * recap code, from the stored tickets.
 */

const REPO = path.resolve(__dirname, '../../..');
const FROM = '2026-10-01';
const TO = '2026-10-31';
const TEAM_NAME = 'Tim "Triase" & <Pengaduan>';

/** Office date in WIB (UTC+7, no daylight saving), counted without the SLA code. */
const wibDate = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
const rank = (values: number[], p: number) => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1];
};

interface Expected {
  count: number;
  resolved: number;
  overdue: number;
  within: number;
  decided: number;
  first: number[];
  resolution: number[];
}

function expectedFor(tickets: Ticket[], now: number): Expected {
  const e: Expected = { count: 0, resolved: 0, overdue: 0, within: 0, decided: 0, first: [], resolution: [] };
  for (const t of tickets) {
    e.count++;
    const received = Date.parse(t.receivedAt);
    const resolvedAt = t.history.find((h) => h.event === 'resolved')?.at;
    const response = ['walk-in', 'call-center'].includes(t.channel)
      ? t.receivedAt
      : t.history.find((h) => ['acknowledged', 'solution-sent', 'resolved'].includes(h.event))?.at;
    // History times are on the day of receipt within office hours: working minutes = wall-clock minutes.
    if (response) e.first.push((Date.parse(response) - received) / 60_000);
    if (resolvedAt) {
      e.resolved++;
      e.decided++;
      e.resolution.push((Date.parse(resolvedAt) - received) / 60_000);
      if (Date.parse(resolvedAt) <= Date.parse(t.dueAt)) e.within++;
    } else if (Date.parse(t.dueAt) < now) {
      e.overdue++;
      e.decided++;
    }
  }
  return e;
}

function aduan(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, MONGODB_URL: '' },
    timeout: 60_000,
  });
}

/** The CSV's sections: name → rows of {header: value}. */
function csvSections(csv: string): Map<string, Array<Record<string, string>>> {
  const rows = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const sections = new Map<string, Array<Record<string, string>>>();
  let header: string[] = [];
  for (const row of rows) {
    if (row[0] === 'bagian') {
      header = row;
      continue;
    }
    const record = Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']));
    sections.set(row[0]!, [...(sections.get(row[0]!) ?? []), record]);
  }
  return sections;
}

const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

describe('aduan report', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-report-'));
  const outDir = path.join(root, 'out');
  let config: AppConfig;
  let configDir: string;
  let inPeriod: Ticket[];

  beforeAll(async () => {
    configDir = writeConfigDir(root, {
      service: { dataDir: path.join(root, 'data') },
      teams: { triase: { name: TEAM_NAME } },
    });
    config = loadConfig(configDir, { ...process.env, MONGODB_URL: '' });
    const store = createStore(config);
    await store.init();
    try {
      for (const plan of planOctoberTickets(config.categories, officeCalendar(config))) {
        const { ticket } = await store.insertTicket(plan.ticket, 2026);
        for (const step of plan.later) await store.appendHistory(ticket.id, step.entry, step.status);
      }
      const all = await store.listTickets({});
      expect(all.length).toBe(52);
      inPeriod = all.filter((t) => wibDate(t.receivedAt) >= FROM && wibDate(t.receivedAt) <= TO);
    } finally {
      await store.close();
    }
    expect(inPeriod.length).toBe(50); // two edge tickets fall outside October in WIB
    mkdirSync(outDir);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('CSV: every figure equals the count made from the stored tickets', () => {
    const file = path.join(outDir, 'rekap.csv');
    writeFileSync(file, 'old content');
    const result = aduan([
      'report',
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'csv',
      '--out',
      file,
      '--config',
      configDir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const now = Date.now();
    const total = expectedFor(inPeriod, now);
    expect(result.stdout).toBe(
      `rekap ${FROM} s.d. ${TO}: ${total.count} pengaduan, ${total.resolved} selesai, ${total.overdue} terlambat, tepat waktu ${new Intl.NumberFormat(
        'id-ID',
        { style: 'percent', maximumFractionDigits: 1 },
      ).format(total.within / total.decided)} → ${file} (csv)\n`,
    );
    expect(readdirSync(outDir)).toEqual(['rekap.csv']); // replaced in place, no temporary file left

    const csv = readFileSync(file, 'utf8');
    const sections = csvSections(csv);

    // Kind × channel.
    const matrix = sections.get('jenis_kanal')!;
    const kinds = Object.keys(config.categories);
    expect(matrix.map((r) => r.kode_jenis)).toEqual([...kinds, 'total']);
    for (const row of matrix) {
      const ofKind =
        row.kode_jenis === 'total' ? inPeriod : inPeriod.filter((t) => t.classification.category === row.kode_jenis);
      for (const channel of [
        'email',
        'messenger',
        'instagram',
        'perkebbas',
        'call-center',
        'suggestion-box',
        'walk-in',
      ]) {
        expect([row.kode_jenis, channel, num(row[channel])]).toEqual([
          row.kode_jenis,
          channel,
          ofKind.filter((t) => t.channel === channel).length,
        ]);
      }
      expect(num(row.jumlah)).toBe(ofKind.length);
    }

    // Per kind and per channel: counts, percentiles (nearest-rank), within target.
    const check = (row: Record<string, string>, tickets: Ticket[]) => {
      const e = expectedFor(tickets, now);
      const label = row.kode_jenis ?? row.kode_kanal;
      expect({
        label,
        count: num(row.jumlah),
        resolved: num(row.selesai),
        open: num(row.belum_selesai),
        overdue: num(row.terlambat),
      }).toEqual({ label, count: e.count, resolved: e.resolved, open: e.count - e.resolved, overdue: e.overdue });
      expect({
        label,
        fr: [
          num(row.respon_awal_diukur),
          num(row.respon_awal_median_menit_kerja),
          num(row.respon_awal_p90_menit_kerja),
        ],
      }).toEqual({ label, fr: [e.first.length, rank(e.first, 50), rank(e.first, 90)] });
      expect({
        label,
        res: [
          num(row.penyelesaian_diukur),
          num(row.penyelesaian_median_menit_kerja),
          num(row.penyelesaian_p90_menit_kerja),
        ],
      }).toEqual({ label, res: [e.resolution.length, rank(e.resolution, 50), rank(e.resolution, 90)] });
      expect({
        label,
        within: num(row.selesai_tepat_waktu),
        decided: num(row.dasar_tepat_waktu),
        pct: num(row.persen_tepat_waktu),
      }).toEqual({
        label,
        within: e.within,
        decided: e.decided,
        pct: e.decided ? Math.round((1000 * e.within) / e.decided) / 10 : undefined,
      });
    };
    for (const row of sections.get('per_jenis')!) {
      check(
        row,
        row.kode_jenis === 'total' ? inPeriod : inPeriod.filter((t) => t.classification.category === row.kode_jenis),
      );
    }
    for (const row of sections.get('per_kanal')!) {
      check(row, row.kode_kanal === 'total' ? inPeriod : inPeriod.filter((t) => t.channel === row.kode_kanal));
    }
    const summary = Object.fromEntries(sections.get('ringkasan')!.map((r) => [r.ukuran, num(r.nilai)]));
    expect(summary).toMatchObject({
      jumlah_pengaduan: total.count,
      selesai: total.resolved,
      terlambat: total.overdue,
      selesai_tepat_waktu: total.within,
      dasar_tepat_waktu: total.decided,
    });

    // Overdue list: exactly the open tickets past their due time, with their team.
    const overdue = inPeriod.filter((t) => !t.history.some((h) => h.event === 'resolved') && Date.parse(t.dueAt) < now);
    expect(overdue.length).toBeGreaterThan(3);
    const listed = sections.get('terlambat') ?? [];
    expect(listed.map((r) => r.nomor_tiket).sort()).toEqual(overdue.map((t) => t.ticketNumber).sort());
    for (const row of listed) {
      const t = overdue.find((o) => o.ticketNumber === row.nomor_tiket)!;
      const dueWib = new Date(Date.parse(t.dueAt) + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect([row.kode_jenis, row.kode_kanal, row.tim, row.batas_waktu]).toEqual([
        t.classification.category,
        t.channel,
        t.team,
        dueWib,
      ]);
      expect(num(row.terlambat_menit_kerja)).toBeGreaterThan(0);
    }
    expect(listed.some((r) => r.nama_tim === TEAM_NAME)).toBe(true);

    for (const secret of [
      PERSONAL.nik,
      'Rugun',
      'Situmorang',
      PERSONAL.phone,
      '81234567890',
      'HYPERLINK',
      'belum jadi',
    ])
      expect(csv).not.toContain(secret);
  });

  test('HTML: the tables show the same figures, escaped, without personal data', () => {
    const file = path.join(outDir, 'rekap.html');
    const result = aduan([
      'report',
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'html',
      '--out',
      file,
      '--config',
      configDir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^rekap ${FROM} s\\.d\\. ${TO}: ${inPeriod.length} pengaduan, .*\\(html\\)\\n$`),
    );
    const now = Date.now();
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Rekapitulasi Pengaduan</h1>');
    expect(html).toContain('Periode: <strong>1 Oktober 2026 s.d. 31 Oktober 2026</strong>');
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);

    const table = (id: string) => new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)![1]!;
    const rows = (tableHtml: string, attr: string) =>
      new Map(
        [...tableHtml.matchAll(new RegExp(`<tr ${attr}="([^"]+)">([\\s\\S]*?)</tr>`, 'g'))].map((m) => [m[1]!, m[2]!]),
      );
    const cell = (rowHtml: string, field: string, extra = '') =>
      new RegExp(`<td data-field="${field}"[^>]*${extra}[^>]*>([^<]*)<`).exec(rowHtml)?.[1];
    const minutes = (rowHtml: string, field: string) =>
      num(new RegExp(`<td data-field="${field}" data-minutes="(\\d+)"`).exec(rowHtml)?.[1]);

    const matrix = rows(table('tabel-jenis-kanal'), 'data-kind');
    expect(matrix.size).toBe(Object.keys(config.categories).length + 1);
    for (const [kind, rowHtml] of matrix) {
      const ofKind = kind === 'total' ? inPeriod : inPeriod.filter((t) => t.classification.category === kind);
      for (const channel of [
        'email',
        'messenger',
        'instagram',
        'perkebbas',
        'call-center',
        'suggestion-box',
        'walk-in',
      ]) {
        expect([kind, channel, num(cell(rowHtml, 'count', `data-channel="${channel}"`))]).toEqual([
          kind,
          channel,
          ofKind.filter((t) => t.channel === channel).length,
        ]);
      }
      expect([kind, num(cell(rowHtml, 'total'))]).toEqual([kind, ofKind.length]);
    }

    const checkGroup = (key: string, rowHtml: string, tickets: Ticket[]) => {
      const e = expectedFor(tickets, now);
      expect({
        key,
        count: num(cell(rowHtml, 'count')),
        resolved: num(cell(rowHtml, 'resolved')),
        overdue: num(cell(rowHtml, 'overdue')),
      }).toEqual({ key, count: e.count, resolved: e.resolved, overdue: e.overdue });
      expect({
        key,
        times: ['first-response-median', 'first-response-p90', 'resolution-median', 'resolution-p90'].map((f) =>
          minutes(rowHtml, f),
        ),
      }).toEqual({
        key,
        times: [rank(e.first, 50), rank(e.first, 90), rank(e.resolution, 50), rank(e.resolution, 90)],
      });
      const within = new RegExp('data-within="(\\d+)" data-decided="(\\d+)"').exec(rowHtml)!;
      expect({ key, within: Number(within[1]), decided: Number(within[2]) }).toEqual({
        key,
        within: e.within,
        decided: e.decided,
      });
    };
    const byKind = rows(table('tabel-per-jenis'), 'data-kind');
    expect(byKind.size).toBe(Object.keys(config.categories).length + 1);
    for (const [kind, rowHtml] of byKind)
      checkGroup(
        kind,
        rowHtml,
        kind === 'total' ? inPeriod : inPeriod.filter((t) => t.classification.category === kind),
      );
    const byChannel = rows(table('tabel-per-kanal'), 'data-channel');
    // Every channel key, and the total.
    expect(byChannel.size).toBe(CHANNEL_KEYS.length + 1);
    for (const [channel, rowHtml] of byChannel)
      checkGroup(channel, rowHtml, channel === 'total' ? inPeriod : inPeriod.filter((t) => t.channel === channel));

    const overdue = inPeriod.filter((t) => !t.history.some((h) => h.event === 'resolved') && Date.parse(t.dueAt) < now);
    const listed = [...table('tabel-terlambat').matchAll(/<tr data-ticket="([^"]+)">/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(overdue.map((t) => t.ticketNumber).sort());
    const total = expectedFor(inPeriod, now);
    expect(html).toContain(`<div class="card" data-field="count"><div class="value">${total.count}</div>`);

    // Text from config and the public is escaped; personal data never appears.
    expect(html).toContain('Tim &quot;Triase&quot; &amp; &lt;Pengaduan&gt;');
    expect(html).not.toContain('<Pengaduan>');
    for (const secret of [
      PERSONAL.nik,
      'Rugun',
      'Situmorang',
      PERSONAL.phone,
      '81234567890',
      'HYPERLINK',
      'belum jadi',
      'alert(1)',
    ])
      expect(html).not.toContain(secret);
  });

  test.each([
    [
      'a date that does not exist',
      ['--from', '2026-02-30', '--to', TO, '--format', 'csv'],
      /--from "2026-02-30" bukan tanggal YYYY-MM-DD yang valid \/ .*not a valid/,
    ],
    [
      'a date in another format',
      ['--from', '01/10/2026', '--to', TO, '--format', 'csv'],
      /--from "01\/10\/2026" bukan tanggal/,
    ],
    [
      'from after to',
      ['--from', TO, '--to', FROM, '--format', 'html'],
      /--from \(2026-10-31\) setelah --to \(2026-10-01\) \/ --from is after --to/,
    ],
    [
      'an unknown format',
      ['--from', FROM, '--to', TO, '--format', 'pdf'],
      /--format "pdf" tidak dikenal; pilih csv atau html/,
    ],
    ['only one date', ['--from', FROM, '--format', 'csv'], /--to wajib diisi/],
  ])('%s: exit code 2 with a clear message, nothing written', (_name, args, message) => {
    const result = aduan(['report', ...args, '--out', path.join(root, 'never.csv'), '--config', configDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(path.join(root, 'never.csv'))).toBe(false);
  });

  test('--out - writes the CSV to stdout (the summary to stderr); the format follows the file name', () => {
    const toStdout = aduan(['report', '--from', FROM, '--to', TO, '--out', '-', '--config', configDir]);
    expect(toStdout.status).toBe(0);
    const summary = csvSections(toStdout.stdout).get('ringkasan')!;
    expect(num(summary.find((r) => r.ukuran === 'jumlah_pengaduan')?.nilai)).toBe(inPeriod.length);
    expect(toStdout.stderr).toMatch(/rekap 2026-10-01 s\.d\. 2026-10-31: 50 pengaduan.* → stdout \(csv\)/);
    const html = path.join(outDir, 'oktober.html');
    expect(aduan(['report', '--from', FROM, '--to', TO, '--out', html, '--config', configDir]).status).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<h1>Rekapitulasi Pengaduan</h1>');
  });

  test('without dates: last month, as the office counts it', () => {
    const result = aduan(['report', '--out', '-', '--config', configDir]);
    expect(result.status).toBe(0);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    const [y, m] = today.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
    expect(result.stderr).toContain(`rekap ${first} s.d. ${last}:`);
  });

  test('a missing folder is exit code 2', () => {
    const missing = aduan([
      'report',
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'csv',
      '--out',
      path.join(root, 'nope', 'r.csv'),
      '--config',
      configDir,
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/folder ".*nope" tidak ada/);
  });

  test('report --help', () => {
    const result = aduan(['report', '--help']);
    expect(result.status).toBe(0);
    for (const option of ['--from', '--to', '--format', '--out', '--config']) expect(result.stdout).toContain(option);
  });
});
