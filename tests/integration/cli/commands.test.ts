import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { createStore } from '../../../src/main';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { writeConfigDir } from '../../support/config-dir';
import { REDIS_URL } from '../../support/service-harness';
import { runAduan } from './run-aduan';

jest.setTimeout(120_000);

const REDIS_DOWN = { REDIS_URL: 'redis://127.0.0.1:1' };
const VERSION = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

/**
 * The commands staff and admins reach for, run as the real binary with a config folder outside the
 * repository (run from another working directory too): listing, short ticket numbers, Indonesian
 * output, and one clear line with a non-zero exit within seconds when Redis or the store is away.
 */
describe('aduan commands', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-cli-cmd-'));
  const prefix = `aduan-test-cli-${process.pid}`;
  const configDir = writeConfigDir(path.join(root, 'etc'), {
    service: { dataDir: path.join(root, 'data') },
    redis: { prefix },
    outbound: { mode: 'outbox', outboxDir: path.join(root, 'outbox') },
  });
  const numbers: string[] = [];
  let quarantineId = '';

  beforeAll(async () => {
    const walkIns = [
      ['A001', 'NIK saya 1211045706890002 ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK'],
      ['A002', 'Mau mendaftarkan perkawinan langsung, pemberkatan di gereja tadi pagi.'],
    ];
    for (const [queue, text] of walkIns) {
      const result = await runAduan(
        ['intake', '--channel', 'walk-in', '--queue', queue!, '--name', 'Rugun', '--text', text!, '-c', configDir],
        {},
        root,
      );
      expect(result.status).toBe(0);
      numbers.push(/Nomor tiket\s+: (ADU-\d{4}-\d{6})/.exec(result.stdout)![1]!);
    }
    const store = createStore(loadConfig(configDir, { ...process.env, REDIS_URL, MONGODB_URL: '' }));
    await store.init();
    quarantineId = (
      await store.quarantine({
        channel: 'email',
        sourceId: '<bad@mail>',
        reason: 'receivedAt: not a date',
        payload: JSON.stringify({ text: 'telepon saya 081370004455', receivedAt: 'kemarin' }),
      })
    ).id;
    await store.close();
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    rmSync(root, { recursive: true, force: true });
  });

  test('--version prints the package version', async () => {
    const result = await runAduan(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  test('--config before or after the command; ticket numbers in any case and short', async () => {
    const [first] = numbers as [string];
    const sequence = String(Number(first.slice(-6)));
    for (const args of [
      ['--config', configDir, 'ticket', 'show', sequence],
      ['ticket', 'show', first.toLowerCase(), '--config', configDir],
      [`--config=${configDir}`, 'ticket', 'show', first.replace(/-0+(\d)/, '-$1')],
    ]) {
      const result = await runAduan(args, {}, root);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Tiket      : ${first} (diterima)`);
    }
  });

  test('ticket show speaks Indonesian: status, channel, history and actions', async () => {
    const result = await runAduan(['ticket', 'show', numbers[0]!, '-c', configDir], {}, root);
    expect(result.stdout).toContain('Kanal      : Tatap muka');
    expect(result.stdout).toMatch(/Riwayat:\n.* diterima\n.* diklasifikasi — Konsolidasi NIK, keyakinan \d+%\n/);
    expect(result.stdout).not.toMatch(/\b(received|classified|acknowledged|routed)\b(?! *\()/);
    expect(result.stdout).toContain('NIK ************0002');
    // Redis is not needed to read a ticket.
    expect((await runAduan(['ticket', 'show', numbers[0]!, '-c', configDir], REDIS_DOWN, root)).status).toBe(0);
  });

  test("reading commands do not need the channels' secrets; start still does", async () => {
    const withSecrets = writeConfigDir(path.join(root, 'etc-secrets'), {
      service: { dataDir: path.join(root, 'data') },
      redis: { prefix },
      channels: {
        meta: {
          enabled: true,
          pageId: '1234567890',
          pageAccessToken: '${ADUAN_TEST_UNSET_PAGE_TOKEN}',
          instagram: { enabled: false },
        },
      },
    });
    for (const args of [
      ['ticket', 'show', numbers[0]!],
      ['ticket', 'list'],
      ['quarantine', 'list'],
    ]) {
      const result = await runAduan([...args, '-c', withSecrets], {}, root);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const start = await runAduan(['start', '-c', withSecrets], {}, root);
    expect(start.status).not.toBe(0);
    expect(start.stderr).toContain('environment variable ADUAN_TEST_UNSET_PAGE_TOKEN is not set');
  });

  test('ticket list: table, filters and --json', async () => {
    const table = await runAduan(['ticket', 'list', '-c', configDir], REDIS_DOWN, root);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^Tiket\s+Diterima \(WIB\)\s+Kanal\s+Jenis\s+Tim\s+Status/m);
    for (const n of numbers) expect(table.stdout).toContain(n);
    expect(table.stdout).toContain('2 tiket');
    expect(table.stdout).not.toContain('1211045706890002');

    const piak = await runAduan(['ticket', 'list', '--team', 'piak', '--json', '-c', configDir], {}, root);
    const rows = piak.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ticketNumber: string; kind: string; team: string });
    expect(rows).toEqual([
      expect.objectContaining({ ticketNumber: numbers[0], kind: 'nik-consolidation', team: 'piak' }),
    ]);

    const kind = await runAduan(
      ['ticket', 'list', '--kind', 'direct-marriage-registration', '--json', '-c', configDir],
      {},
      root,
    );
    expect(kind.stdout).toContain(numbers[1]!);
    expect(kind.stdout).not.toContain(numbers[0]!);
    const none = await runAduan(['ticket', 'list', '--status', 'resolved', '--channel', 'walk-in', '-c', configDir]);
    expect(none.stdout).toContain('tidak ada tiket yang sesuai');
    const since = await runAduan(['ticket', 'list', '--since', '2999-01-01', '--overdue', '-c', configDir]);
    expect(since.stdout).toContain('tidak ada tiket yang sesuai');

    const bad = await runAduan(['ticket', 'list', '--status', 'open', '--since', 'kemarin', '-c', configDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--status "open" tidak dikenal; pilihan: received, acknowledged, routed, resolved');
    expect(bad.stderr).toContain('--since "kemarin" bukan tanggal YYYY-MM-DD');
  });

  test('quarantine list and show, personal data masked', async () => {
    const list = await runAduan(['quarantine', 'list', '-c', configDir], REDIS_DOWN, root);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(quarantineId);
    expect(list.stdout).toContain('alasan: receivedAt: not a date');
    const show = await runAduan(['quarantine', 'show', quarantineId, '-c', configDir], {}, root);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('Kanal     : Email');
    expect(show.stdout).toContain('"receivedAt": "kemarin"');
    expect(show.stdout).not.toContain('081370004455');
    const missing = await runAduan(['quarantine', 'show', 'nope', '-c', configDir], {}, root);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('data karantina nope tidak ditemukan');
  });

  test('classify exits 1 when a line could not be classified', async () => {
    const input = path.join(root, 'lines.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'a', text: 'NIK saya ditolak BPJS' })}\n{broken\n`);
    const { spawnSync } = await import('node:child_process');
    const { CLI } = await import('../../support/config-dir');
    const result = spawnSync(process.execPath, [CLI, 'classify', '-c', configDir], {
      input: readFileSync(input),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toContain('1 of 2 line(s) could not be classified');
  });

  describe('fail fast: one line naming what, where and the fix; non-zero within seconds', () => {
    test.each([
      [['dlq', 'list']],
      [['dlq', 'replay', '--all']],
      [['ticket', 'route', 'PLACEHOLDER', 'capil', '--reason', 'salah tim']],
    ])('%j with Redis down', async (args) => {
      const result = await runAduan(
        [...args.map((a) => (a === 'PLACEHOLDER' ? numbers[0]! : a)), '-c', configDir],
        REDIS_DOWN,
        root,
      );
      expect(result.status).toBe(2);
      expect(result.ms).toBeLessThan(8000); // Node's own start included; the Redis check itself is immediate
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([
        'aduan: Redis at redis://127.0.0.1:1 cannot be used: connect ECONNREFUSED 127.0.0.1:1; ' +
          'start Redis (systemctl start redis-server) or set REDIS_URL / redis.url to a running one',
      ]);
    });

    test('ticket route with Redis down changes nothing', async () => {
      const show = await runAduan(['ticket', 'show', numbers[0]!, '-c', configDir], {}, root);
      expect(show.stdout).not.toContain('dialihkan');
    });

    test('a store that cannot be opened', async () => {
      const blocked = path.join(root, 'not-a-folder');
      writeFileSync(blocked, 'a file where the data folder should be');
      const badStore = writeConfigDir(path.join(root, 'etc-bad'), { service: { dataDir: path.join(blocked, 'data') } });
      for (const args of [
        ['ticket', 'show', '1'],
        ['ticket', 'list'],
        ['report', '--out', '-'],
        ['quarantine', 'list'],
      ]) {
        const result = await runAduan([...args, '-c', badStore], {}, root);
        expect(result.status).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain(
          `aduan: the store (${path.join(blocked, 'data', 'aduan.sqlite')}) cannot be opened:`,
        );
        expect(result.stderr).toContain('check service.dataDir');
      }
    });
  });
});
