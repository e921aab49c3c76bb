import { appendFileSync, copyFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import {
  callCenterConfig,
  callRow,
  HEADER,
  logFolder,
  slowSink,
  startWatching,
  type Watching,
} from './callcenter-test-env';

const FIXTURES = path.resolve(__dirname, '../../fixtures/callcenter');

/** Text as Windows-1252 bytes (what Excel's plain "CSV" writes), for the characters used here. */
function cp1252(text: string): Buffer {
  const special: Record<string, number> = { '“': 0x93, '”': 0x94, '‘': 0x91, '’': 0x92, '–': 0x96, '€': 0x80 };
  return Buffer.from([...text].map((c) => special[c] ?? c.charCodeAt(0)));
}

describe('call-center log watcher on real files', () => {
  let env: TestEnv;
  let watching: Watching | undefined;

  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(async () => {
    await watching?.stop();
    watching = undefined;
    await env.cleanup();
  });

  const count = () => watching!.service.store.countTickets();
  const ticketCount = (n: number) => waitFor(async () => (await count()) === n, 10_000, `${n} tickets`);

  it('reads an Excel CSV (BOM, `;`, quoted delimiters, doubled quotes, line breaks in quotes): one ticket per row', async () => {
    const folder = logFolder(env);
    copyFileSync(path.join(FIXTURES, 'agent-log-excel.csv'), path.join(folder, 'log-agen.csv'));
    watching = await startWatching(env, callCenterConfig(folder));
    await ticketCount(3);
    const tickets = (await watching.service.store.listTickets({})).sort((a, b) =>
      a.receivedAt.localeCompare(b.receivedAt),
    );
    expect(tickets.map((t) => [t.receivedAt, t.complainant.phone, t.meta.row, t.meta.agent])).toEqual([
      ['2026-11-30T10:15:00+07:00', '+6281211110007', '2', 'Agen Line 1'],
      ['2026-11-30T11:02:00+07:00', '+6285270001122', '3', 'Agen Line 2'],
      ['2026-11-30T13:40:00+07:00', '+6281377778888', '4', 'Agen Line 1'],
    ]);
    expect(tickets[0]!.complainant).toEqual({ phone: '+6281211110007', nik: '1211021507480002', name: 'Tiurma Manik' });
    expect(tickets[0]!.text).toContain('(78 tahun); ibu sudah');
    // The line break inside the quoted cell is kept, as \n like every stored text (the sanitizer).
    expect(tickets[1]!.text).toBe(
      'Pelapor mengeluh: "antrean di kantor sangat panjang" dan petugas loket kurang ramah.\nMinta ditindaklanjuti.',
    );
    expect(tickets.every((t) => t.channel === 'call-center' && t.meta.file === 'log-agen.csv' && t.meta.line)).toBe(
      true,
    );
    expect(env.logLines.join('\n')).not.toContain('1211021507480002');
  });

  it('detects the encoding per file: a Windows-1252 log and a UTF-8 log side by side, neither garbled', async () => {
    const folder = logFolder(env);
    const row = (name: string, notes: string) =>
      `30/11/2026 10.15;0812-1111-0007;Agen Line 1;${notes};;Line 1;${name}\r\n`;
    const notes = 'Minta “suket pindah” – KK ‘baru’ belum terbit';
    writeFileSync(path.join(folder, 'excel-ansi.csv'), cp1252(HEADER + row('André Sitorus', notes)));
    writeFileSync(path.join(folder, 'excel-utf8.csv'), '\ufeff' + HEADER + row('André Simanjuntak', notes));
    watching = await startWatching(env, callCenterConfig(folder));
    await ticketCount(2);
    const tickets = await watching.service.store.listTickets({});
    expect(tickets.map((t) => [t.meta.file, t.complainant.name, t.text]).sort()).toEqual([
      ['excel-ansi.csv', 'André Sitorus', notes],
      ['excel-utf8.csv', 'André Simanjuntak', notes],
    ]);
  });

  it('takes a file appended to while it is read, in pieces that split rows, exactly once per row', async () => {
    const folder = logFolder(env);
    const file = path.join(folder, 'calls.csv');
    writeFileSync(file, `\ufeff${HEADER}`);
    watching = await startWatching(env, callCenterConfig(folder));
    const bytes = Buffer.from(Array.from({ length: 30 }, (_, i) => callRow(i + 1)).join(''));
    // Slices of 1..90 bytes: rows arrive half-written, and the watcher reads between the writes.
    for (let at = 0, step = 1; at < bytes.length; at += step, step = ((step * 7) % 89) + 1) {
      appendFileSync(file, bytes.subarray(at, at + step));
      if (step % 3 === 0) await new Promise((r) => setTimeout(r, 7));
    }
    await ticketCount(30);
    await watching.passes(3);
    expect(await count()).toBe(30);
    expect(watching.watcher.stats()).toEqual({ queued: 30, duplicate: 0, quarantined: 0, blank: 0 });
  });

  it('waits for the end of a half-written last line, or takes it once the file has been quiet long enough', async () => {
    const folder = logFolder(env);
    const file = path.join(folder, 'calls.csv');
    const second = callRow(2);
    writeFileSync(file, HEADER + callRow(1) + second.slice(0, 25));
    watching = await startWatching(env, callCenterConfig(folder, { incompleteLineGraceMs: 60_000 }));
    await ticketCount(1);
    await watching.passes(4);
    expect(await count()).toBe(1);
    appendFileSync(file, second.slice(25));
    await ticketCount(2);

    // The phone system's last line never gets a line break: taken after incompleteLineGraceMs without changes.
    await watching.stop();
    const quiet = path.join(folder, 'pbx.csv');
    writeFileSync(quiet, HEADER + callRow(3) + callRow(4).trimEnd());
    watching = await startWatching(env, callCenterConfig(folder, { incompleteLineGraceMs: 400 }));
    await ticketCount(3);
    await ticketCount(4);
    // Finishing that line later neither changes the file's identity nor repeats the row.
    appendFileSync(quiet, `\r\n${callRow(5)}`);
    await ticketCount(5);
    await watching.passes(3);
    expect(watching.watcher.stats()).toMatchObject({ duplicate: 0, quarantined: 0 });
  });

  it('keeps a renamed (rotated) file on its checkpoint, starts a new file fresh, and reads a truncated file from the start', async () => {
    const folder = logFolder(env);
    const file = path.join(folder, 'calls.csv');
    writeFileSync(file, HEADER + callRow(1) + callRow(2));
    watching = await startWatching(env, callCenterConfig(folder));
    await ticketCount(2);

    appendFileSync(file, callRow(3));
    renameSync(file, path.join(folder, 'calls-2026-11-30.csv'));
    writeFileSync(file, HEADER + callRow(4));
    await ticketCount(4);
    await watching.passes(3);
    expect(watching.watcher.stats()).toMatchObject({ queued: 4, duplicate: 0 });

    // Truncated and rewritten under the same name: new content, new identity, read from its first row.
    writeFileSync(file, HEADER + callRow(5) + callRow(6));
    await ticketCount(6);
    // Rewritten keeping its first row but replacing what followed: the checkpoint no longer fits, reread.
    writeFileSync(
      file,
      HEADER + callRow(5) + callRow(7, 'Baris yang diganti oleh agen setelah disimpan ulang di Excel.'),
    );
    await ticketCount(7);
    await watching.passes(3);
    expect(await count()).toBe(7);
    expect(watching.watcher.stats()).toMatchObject({ queued: 7, quarantined: 0 });
    expect(watching.watcher.stats().duplicate).toBe(1); // row 5, recognised by its content
  });

  it('continues after a restart in the middle of a file without re-reading or skipping a row', async () => {
    const folder = logFolder(env);
    writeFileSync(
      path.join(folder, 'calls.csv'),
      HEADER + Array.from({ length: 40 }, (_, i) => callRow(i + 1)).join(''),
    );
    const config = callCenterConfig(folder);
    watching = await startWatching(env, config, slowSink(15));
    await waitFor(async () => watching!.watcher.stats().queued >= 8, 10_000, 'some rows');
    await watching.stop();
    const firstRun = watching.watcher.stats().queued;
    expect(firstRun).toBeLessThan(40);

    watching = await startWatching(env, config);
    await ticketCount(40);
    await watching.passes(2);
    expect(watching.watcher.stats()).toEqual({ queued: 40 - firstRun, duplicate: 0, quarantined: 0, blank: 0 });
    expect(await count()).toBe(40);
  });

  it('quarantines bad rows with file, row number and reason, and takes the rest (CSV with `,`, and JSON lines)', async () => {
    const folder = logFolder(env);
    copyFileSync(path.join(FIXTURES, 'bad-rows.csv'), path.join(folder, 'bad-rows.csv'));
    copyFileSync(path.join(FIXTURES, 'phone-system.jsonl'), path.join(folder, 'pbx.jsonl'));
    const config = callCenterConfig(folder, {
      jsonFields: { time: 'start', caller: 'from', agent: 'agent.name', notes: 'notes', line: 'line' },
      incompleteLineGraceMs: 600,
    });
    watching = await startWatching(env, config);
    await ticketCount(3);
    await waitFor(
      async () => (await watching!.service.store.listQuarantine()).length === 4,
      10_000,
      'the quarantined rows',
    );
    const quarantined = (await watching.service.store.listQuarantine()).map((q) => [q.sourceId, q.reason]).sort();
    expect(quarantined).toEqual([
      ['bad-rows.csv#3', 'bad-rows.csv row 3: column "Waktu" (time): "kemarin sore" is not a recognised date and time'],
      ['bad-rows.csv#4', 'bad-rows.csv row 4: column "Ringkasan" (notes) is empty'],
      ['bad-rows.csv#5', 'bad-rows.csv row 5: 2 fields, header has 4'],
      ['pbx.jsonl#3', 'pbx.jsonl row 3: not valid JSON (at character 49)'],
    ]);
    const hidden = (await watching.service.store.listTickets({})).find((t) => t.meta.row === '7')!;
    expect(hidden.complainant.phone).toBeUndefined();
    expect(hidden.meta.mappingWarnings).toBe('nomor penelepon "tidak ada" tidak dikenali');
    expect(hidden.text).toBe('Penelepon (nomor disembunyikan) bertanya jam layanan, Sabtu buka?');
    const pbx = (await watching.service.store.listTickets({})).find((t) => t.meta.file === 'pbx.jsonl')!;
    expect(pbx).toMatchObject({
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { phone: '+6281200001111' },
      meta: { agent: 'IVR/Agen 3', line: '0627-21000', row: '1' },
    });
    expect(watching.watcher.stats()).toMatchObject({ queued: 3, quarantined: 4, blank: 2 });
    await watching.passes(3);
    expect((await watching.service.store.listQuarantine()).length).toBe(4);
  });

  it('quarantines a row with more or fewer fields than the header instead of shifting it; drops only empty trailing fields', async () => {
    const folder = logFolder(env);
    writeFileSync(
      path.join(folder, 'shifted.csv'),
      [
        'Waktu;Nomor Penelepon;Agen;Ringkasan;NIK;Line;Nama Penelepon',
        '01/12/2026 09.05;0813-6222-4455;Agen Line 1;Akta belum selesai; penelepon minta kepastian.;;Line 1;Rosmawati Sinaga',
        '01/12/2026 09.10;0813-6222-4456;Agen Line 2;KIA anak belum jadi;;Line 2',
        '01/12/2026 09.15;0813-6222-4457;Agen Line 1;Tanya syarat pindah datang;;Line 1;Hotma Purba;;',
        '',
      ].join('\r\n'),
    );
    watching = await startWatching(env, callCenterConfig(folder));
    await ticketCount(1);
    await waitFor(async () => (await watching!.service.store.listQuarantine()).length === 2, 10_000, 'the two rows');
    const quarantined = (await watching.service.store.listQuarantine()).map((q) => [q.sourceId, q.reason]).sort();
    expect(quarantined).toEqual([
      ['shifted.csv#2', 'shifted.csv row 2: 8 fields, header has 7'],
      ['shifted.csv#3', 'shifted.csv row 3: 6 fields, header has 7'],
    ]);
    const [ticket] = await watching.service.store.listTickets({});
    expect(ticket).toMatchObject({
      text: 'Tanya syarat pindah datang',
      complainant: { name: 'Hotma Purba' },
      meta: { row: '4', line: 'Line 1' },
    });
    expect(watching.watcher.stats()).toMatchObject({ queued: 1, quarantined: 2 });
  });

  it('marks the channel failed and alerts the admin once when a file lacks the configured columns', async () => {
    const folder = logFolder(env);
    writeFileSync(path.join(folder, 'calls.csv'), 'Tanggal;Nomor;Catatan\r\n30/11/2026 10:00;0812;Tanya KIA\r\n');
    watching = await startWatching(env, callCenterConfig(folder));
    await waitFor(async () => watching!.watcher.health().state === 'failed', 5000, 'failed health');
    await watching.passes(5);
    expect(watching.watcher.health().lastError).toContain('calls.csv: header has no column "Waktu" (time)');
    const alerts = readdirSync(env.config.outbound.outboxDir).filter((f) => f.startsWith('alert.'));
    expect(alerts).toEqual([expect.stringMatching(/^alert\.call-center-columns\.\d+\.eml$/)]);
    expect(readFileSync(path.join(env.config.outbound.outboxDir, alerts[0]!), 'utf8')).toContain(
      'Kolom log call center tidak sesuai konfigurasi',
    );
    expect(await count()).toBe(0);
  });
});
