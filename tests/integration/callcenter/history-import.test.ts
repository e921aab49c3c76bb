import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { CallCenterLogIntake } from '../../../src/channels/callcenter/log-watcher';
import { FixedClock } from '../../../src/domain/clock';
import { computeDueAt } from '../../../src/domain/sla';
import { parseTarget } from '../../../src/domain/target';
import { officeCalendar, type RunningService } from '../../../src/main';
import { buildRecapReport } from '../../../src/report/recap-report';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { effectKey } from '../../../src/store/store';
import { createTestEnv, outboxMessages, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { callCenterConfig, HEADER } from './callcenter-test-env';

/** An agent's row at `day` (dd/mm/yyyy) and `minutes` after midnight, caller n. */
function row(day: string, minutes: number, n: number, notes: string): string {
  const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}.${String(minutes % 60).padStart(2, '0')}`;
  return `${day} ${time};0812${String(10_000_000 + n)};Agen Line ${(n % 2) + 1};"${notes}";;Line 1;\r\n`;
}

const NOTES = [
  'Penelepon menanyakan status KTP-el yang belum dicetak sejak bulan lalu.',
  'Penelepon ingin mengurus akta kelahiran anak, menanyakan syaratnya.',
  'Penelepon mengeluh antrean di kantor sangat panjang.',
  'Penelepon menanyakan cara pindah domisili ke kecamatan lain.',
];

/** `count` calls spread over 2026-08-03 … 2026-10-28 (office hours), oldest first. */
function historicalLog(count: number): string {
  const first = Date.UTC(2026, 7, 3);
  const days = 87;
  const perDay = Math.ceil(count / days);
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const date = new Date(first + Math.floor(i / perDay) * 86_400_000);
    const day = `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/2026`;
    lines.push(row(day, 8 * 60 + Math.floor(((i % perDay) * 420) / perDay), i, NOTES[i % NOTES.length]!));
  }
  return lines.join('');
}

function outboxFiles(env: TestEnv): string[] {
  return outboxMessages(env.config.outbound.outboxDir);
}

describe('call-center history: imported on first read, live afterwards', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let folder: string;

  beforeEach(() => {
    env = createTestEnv((config) => {
      folder = path.join(path.dirname(config.service.dataDir), 'callcenter');
      mkdirSync(folder, { recursive: true });
      return {
        ...config,
        channels: { ...config.channels, callCenter: callCenterConfig(folder, { pollIntervalMs: 100 }) },
      };
    });
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  /** The service with the channels its config enables (the call-center watcher), on a fixed clock. */
  const start = (clock: FixedClock) => startTestService(env, { channels: undefined, clock });
  const watcher = () => service!.channels[0] as CallCenterLogIntake;
  // The first pass reads 20,000 rows: about 15 s alone, several times that inside the full suite on 2 cores.
  const passes = async (n: number) => {
    const target = watcher().completedScans + n;
    await waitFor(async () => watcher().completedScans >= target, 180_000, `${n} passes`);
  };

  it('imports a 20,000-row log on first start as history: one summary mail, the recap counts them', async () => {
    const clock = new FixedClock('2026-11-03T10:00:00+07:00');
    const recent = [
      row('03/11/2026', 8 * 60 + 5, 900_001, 'Penelepon menanyakan KTP-el rusak, minta diganti.'),
      row('03/11/2026', 8 * 60 + 40, 900_002, 'Penelepon menanyakan syarat akta kematian.'),
    ].join('');
    writeFileSync(path.join(folder, 'arsip-agustus-oktober.csv'), historicalLog(20_000) + recent);
    const started = Date.now();
    service = await start(clock);
    await passes(1);
    const tookMs = Date.now() - started; // reported, not judged: the machine's load decides it

    const { store } = service;
    await waitFor(async () => (await store.countTickets()) === 20_002, 10_000, 'all tickets');
    const tally = await store.historicalImportTally((await store.listTickets({ limit: 1 }))[0]!.historicalImport!);
    expect(tally).toMatchObject({ count: 20_000 });
    expect(tally.first!.slice(0, 10)).toBe('2026-08-03');

    // The two calls of today are live work: they reach a team (no gateway: no citizen message).
    const live = (await store.listTickets({ from: '2026-11-03T00:00:00Z' })).filter((t) => !t.historicalImport);
    expect(live).toHaveLength(2);
    for (const ticket of live)
      await waitFor(async () => (await store.getEffect(effectKey(ticket.id, 'route')))?.state === 'done');

    // A historical ticket: its own time, kind and channel, closed, no effect at all.
    const old = (await store.listTickets({ from: '2026-08-03T00:00:00Z', to: '2026-08-04T00:00:00Z' }))[0]!;
    expect(old).toMatchObject({ channel: 'call-center', status: 'resolved' });
    expect(old.receivedAt.startsWith('2026-08-03T08:00')).toBe(true);
    expect(await store.listEffects(old.id)).toEqual([]);

    // Messages: the admins' summary and the two team mails, nothing else.
    await waitFor(async () => outboxFiles(env).length >= 3, 10_000, 'three messages');
    const files = outboxFiles(env);
    expect(files).toHaveLength(3);
    const summary = files.filter((f) => f.startsWith('alert.import'));
    expect(summary).toHaveLength(1);
    const mail = await simpleParser(readFileSync(path.join(env.config.outbound.outboxDir, summary[0]!)));
    expect(mail.subject).toBe(
      '[aduan] Impor riwayat: 20.000 pengaduan historis dari call-center, 2026-08-03 … 2026-10-28',
    );
    expect(mail.text).toContain('Sebanyak 20.000 pengaduan');

    // The source is live now: another pass adds nothing and sends nothing.
    await passes(2);
    expect(outboxFiles(env)).toHaveLength(3);

    const recap = await buildRecapReport(store, env.config, { from: '2026-09-01', to: '2026-09-30', now: clock.now() });
    expect(recap.recap.total.count).toBeGreaterThan(6_500);
    expect(recap.recap.total.historical).toBe(recap.recap.total.count);
    expect(recap.recap.total.overdue).toBe(0);
    expect(recap.recap.total.open).toBe(0);
    expect(recap.recap.total.firstResponse.measured).toBe(0); // history is not judged
    expect(recap.text).toContain('Riwayat diimpor');
    process.stdout.write(`20,000-row first read: ${(tookMs / 1000).toFixed(1)} s\n`);
  }, 240_000);

  it('an import stopped mid-way goes on after a restart as the same import: every row counted, one summary', async () => {
    const clock = new FixedClock('2026-11-03T10:00:00+07:00');
    writeFileSync(path.join(folder, 'arsip.csv'), historicalLog(3_000));
    service = await start(clock);
    await waitFor(async () => (await service!.store.countTickets()) >= 500, 20_000, '500 tickets');
    await service.stop(); // a crash or restart in the middle of the first read
    service = undefined;
    const peek = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await peek.init();
    const before = await peek.countTickets();
    await peek.close();
    expect(before).toBeLessThan(3_000);
    expect(outboxFiles(env)).toEqual([]);

    service = await start(clock);
    await passes(1);
    const tickets = await service.store.listTickets({});
    expect(tickets).toHaveLength(3_000);
    expect(new Set(tickets.map((t) => t.historicalImport))).toEqual(new Set([tickets[0]!.historicalImport]));
    await service.stop();
    service = await start(clock);
    await passes(2);
    const files = outboxFiles(env);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(path.join(env.config.outbound.outboxDir, files[0]!)));
    expect(mail.subject).toMatch(/Impor riwayat: 3\.000 pengaduan historis dari call-center/);
  }, 90_000);

  it('a new file pattern is a new source: its old files are imported, the files already read stay live', async () => {
    const clock = new FixedClock('2026-11-06T10:00:00+07:00');
    writeFileSync(path.join(folder, 'hari-ini.csv'), HEADER + row('06/11/2026', 9 * 60, 1, NOTES[0]!));
    service = await start(clock);
    await passes(1);
    await service.stop();
    service = undefined;
    expect(outboxFiles(env).filter((f) => f.startsWith('alert.'))).toEqual([]); // nothing old: no summary

    // The admin adds the phone system's rotated logs (*.csv.1), which hold last month.
    writeFileSync(path.join(folder, 'panggilan.csv.1'), historicalLog(40));
    writeFileSync(
      path.join(folder, 'hari-ini.csv'),
      HEADER + row('06/11/2026', 9 * 60, 1, NOTES[0]!) + row('01/10/2026', 9 * 60 + 30, 2, NOTES[1]!),
    );
    const callCenter = callCenterConfig(folder, { pollIntervalMs: 100, files: { csv: ['*.csv', '*.csv.1'] } });
    env.config = { ...env.config, channels: { ...env.config.channels, callCenter } };
    service = await start(clock);
    await passes(1);
    const tickets = await service.store.listTickets({});
    expect(tickets).toHaveLength(42);
    expect(tickets.filter((t) => t.historicalImport)).toHaveLength(40);
    // A row added to a file read before is live work, however old: that file was live already.
    const second = tickets.find((t) => t.meta.file === 'hari-ini.csv' && t.meta.row === '3')!;
    expect(second.historicalImport).toBeUndefined();
    await waitFor(async () => outboxFiles(env).filter((f) => f.startsWith('alert.import')).length === 1);
  }, 60_000);

  it('staff-entered and other records without a first read are never historical, however old', async () => {
    service = await start(new FixedClock('2026-11-20T10:00:00+07:00'));
    const result = await service.sink.submit(
      {
        channel: 'walk-in',
        sourceId: 'walk-in:2026-11-02:A012',
        receivedAt: '2026-11-02T09:15:00+07:00',
        complainant: { name: 'Lasma Sitanggang' },
        text: 'Menanyakan KTP-el yang belum dicetak sejak bulan lalu.',
        // Only the sink decides what is history: a record claiming it is not believed.
        historicalImport: 'forged',
      },
      { channel: 'walk-in' },
    );
    expect(result).toEqual({ status: 'queued' });
    const ticket = await waitFor(() => service!.store.findBySource('walk-in', 'walk-in:2026-11-02:A012'));
    expect(ticket.historicalImport).toBeUndefined();
    await waitFor(async () => (await service!.store.getEffect(effectKey(ticket.id, 'route')))?.state === 'done');
  });

  it('once live, a 3-day backlog is real work: routed, SLA from the source time, the team mail says it is late', async () => {
    const clock = new FixedClock('2026-11-06T10:00:00+07:00');
    service = await start(clock);
    await passes(1); // first read of an empty folder: nothing to import, the source is live
    await service.stop();
    service = undefined;
    expect(outboxFiles(env)).toEqual([]);

    // The phone system was down from Tuesday; its log comes in on Friday.
    writeFileSync(
      path.join(folder, 'log-agen-2026-11-03.csv'),
      HEADER +
        row('03/11/2026', 9 * 60, 1, 'Penelepon menanyakan KTP-el yang belum jadi.') +
        row('03/11/2026', 10 * 60, 2, 'Penelepon menanyakan syarat akta kelahiran.'),
    );
    service = await start(clock);
    await passes(1);
    const tickets = await service.store.listTickets({});
    expect(tickets).toHaveLength(2);
    const calendar = officeCalendar(env.config);
    for (const ticket of tickets) {
      expect(ticket.historicalImport).toBeUndefined();
      const target = env.config.categories[ticket.classification.category].target;
      expect(ticket.dueAt).toBe(computeDueAt(ticket.receivedAt, parseTarget(target), calendar));
      await waitFor(async () => (await service!.store.getEffect(effectKey(ticket.id, 'route')))?.state === 'done');
    }
    const teamMails = outboxFiles(env).filter((f) => f.startsWith('ADU-'));
    expect(teamMails).toHaveLength(2);
    for (const file of teamMails) {
      const mail = await simpleParser(readFileSync(path.join(env.config.outbound.outboxDir, file)));
      expect(mail.text).toContain(
        'PERHATIAN: diterima terlambat: masuk ke sistem Jumat, 6 November 2026 pukul 10.00 WIB',
      );
    }
    expect(outboxFiles(env).filter((f) => f.startsWith('alert.'))).toEqual([]);
  }, 60_000);
});
