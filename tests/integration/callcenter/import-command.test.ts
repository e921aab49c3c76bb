import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningService } from '../../../src/main';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { createTestEnv, REDIS_URL, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { HEADER } from './callcenter-test-env';

const DAY = 86_400_000;

/** A row whose time is an ISO instant (the watcher accepts ISO with an offset). */
function row(at: Date, n: number, notes: string): string {
  return `${at.toISOString()};0813${String(10_000_000 + n)};Agen Line 1;"${notes}";;Line 1;\r\n`;
}

/**
 * `aduan import` as an admin runs it: the real binary beside a running service on the same store, queues
 * and outbox. The command starts no workers: the service's workers send the live records' mail (the test
 * waits for them); the command itself sends only the admins' summary.
 */
describe('aduan import (child process beside a running service)', () => {
  const env: TestEnv = createTestEnv();
  const root = env.dir;
  const outbox = env.config.outbound.outboxDir;
  /** A config folder for the command, outside the repository: the service's store, queues, outbox (or another). */
  const commandConfig = (folder: string, outboxDir = outbox) =>
    writeConfigDir(path.join(root, folder), {
      service: { dataDir: env.config.service.dataDir, healthPort: 0 },
      redis: { prefix: env.config.redis.prefix },
      outbound: { mode: 'outbox', outboxDir },
      alerts: { adminEmails: ['admin@aduan.test'] },
      staff: { replySecret: env.config.staff.replySecret },
      channels: {
        callCenter: {
          enabled: false,
          folder: path.join(root, 'callcenter'),
          columns: { time: 'Waktu', caller: 'Nomor Penelepon', agent: 'Agen', notes: 'Ringkasan', nik: 'NIK' },
        },
      },
    });
  const configDir = commandConfig('etc-aduan');
  const aduan = (args: string[], dir = configDir, redisUrl = REDIS_URL) => {
    const started = Date.now();
    const result = spawnSync(process.execPath, [CLI, ...args, '--config', dir], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: redisUrl, ADUAN_CONFIG_DIR: dir },
      timeout: 90_000,
    });
    return { ...result, ms: Date.now() - started };
  };
  const archive = path.join(root, 'arsip', 'log-agen-2026.csv');
  const files = (dir = outbox) => (existsSync(dir) ? readdirSync(dir).sort() : []);
  let service: RunningService;

  beforeAll(async () => {
    service = await startTestService(env);
    mkdirSync(path.dirname(archive), { recursive: true });
    const now = Date.now();
    const rows = Array.from({ length: 12 }, (_, i) =>
      row(new Date(now - (30 + i) * DAY), i, 'Penelepon menanyakan status KTP-el yang belum dicetak.'),
    );
    // One call of an hour ago: live work, it reaches a team.
    rows.push(row(new Date(now - 60 * 60_000), 99, 'Penelepon menanyakan syarat akta kelahiran anak.'));
    writeFileSync(archive, HEADER + rows.join(''));
  });
  afterAll(async () => {
    await service.stop();
    await env.cleanup();
  });

  it('imports old rows as history, routes the recent one, tells the admins once; a second run adds nothing', async () => {
    const first = aduan(['import', 'call-center', '--file', archive]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /Tiket historis baru\s+: 12 \(seluruh impor ini: 12 \(\d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d\)\)/,
    );
    expect(first.stdout).toMatch(/Pengaduan baru diteruskan\s+: 1\b/);
    // The recent call's team mail: sent by the service's workers once the command has queued it.
    await waitFor(async () => files().some((f) => f.startsWith('ADU-')), 15_000, 'team mail sent by the service');
    const sent = files();
    expect(sent.filter((f) => f.startsWith('alert.import'))).toHaveLength(1);
    expect(sent.filter((f) => f.startsWith('ADU-'))).toHaveLength(1);
    expect(sent).toHaveLength(2);

    const again = aduan(['import', 'call-center', '--file', archive]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/Tiket historis baru\s+: 0 \(seluruh impor ini: 12/);
    await new Promise((r) => setTimeout(r, 1000)); // time for the service to send anything queued again
    expect(files()).toEqual(sent);
  }, 120_000);

  it('imports exported mail (a folder of .eml files) as history: the summary is the only message', async () => {
    const samples = path.resolve(__dirname, '../../../samples/email');
    const before = files().length;
    const result = aduan(['import', 'email', '--file', samples]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The samples are from 30 November 2026: older than two working days whenever this runs after 2 December.
    expect(result.stdout).toMatch(/Tiket historis baru\s+: 4 \(seluruh impor ini: 4 \(2026-11-30 … 2026-11-30\)\)/);
    await new Promise((r) => setTimeout(r, 1000)); // nothing for the service to send either
    const added = files().length - before;
    expect(added).toBe(1);
  }, 60_000);

  it('without --file imports the configured folder', () => {
    const folder = path.join(root, 'callcenter');
    mkdirSync(folder, { recursive: true });
    const now = Date.now();
    const rows = Array.from({ length: 5 }, (_, i) =>
      row(new Date(now - (60 + i) * DAY), 500 + i, 'Penelepon menanyakan akta.'),
    );
    writeFileSync(path.join(folder, 'log-lama.csv'), HEADER + rows.join(''));
    const result = aduan(['import', 'call-center']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Tiket historis baru\s+: 5 \(seluruh impor ini: 5 /);
  }, 60_000);

  it('refuses an unknown channel, a bad date and a missing file with a clear message', () => {
    const channel = aduan(['import', 'fax']);
    expect(channel.status).toBe(2);
    expect(channel.stderr).toContain('Kanal "fax" tidak dapat diimpor; yang dapat: call-center, email');
    const since = aduan(['import', 'call-center', '--file', archive, '--since', '1/8/2026']);
    expect(since.status).toBe(2);
    expect(since.stderr).toContain('--since "1/8/2026" bukan tanggal seperti 2026-08-01');
    const missing = aduan(['import', 'call-center', '--file', path.join(root, 'tidak-ada.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('tidak ada atau bukan file biasa');
  }, 60_000);

  /** An archive of `old` calls of weeks ago and `recent` calls of an hour ago, numbered from `from`. */
  function archiveOf(name: string, from: number, old: number, recent: number): string {
    const now = Date.now();
    const rows = [
      ...Array.from({ length: old }, (_, i) =>
        row(new Date(now - (40 + i) * DAY), from + i, 'Penelepon menanyakan KIA.'),
      ),
      ...Array.from({ length: recent }, (_, i) =>
        row(new Date(now - 30 * 60_000), from + old + i, 'Penelepon menanyakan syarat pindah domisili.'),
      ),
    ];
    const file = path.join(root, 'arsip', name);
    writeFileSync(file, HEADER + rows.join(''));
    return file;
  }
  const teamMails = () => files().filter((f) => f.startsWith('ADU-'));

  it('beside a running service performs no effect itself: the service workers send the live mail', async () => {
    const ownOutbox = path.join(root, 'command-outbox');
    const ownConfig = commandConfig('etc-aduan-own-outbox', ownOutbox);
    const file = archiveOf('log-beside.csv', 1000, 2, 1);
    const before = teamMails().length;
    // spawnSync blocks this process (and the service in it) until the command exits: the command cannot
    // lean on the service's workers, and it has none of its own.
    const result = aduan(['import', 'call-center', '--file', file], ownConfig);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Tiket historis baru\s+: 2 /);
    expect(result.stdout).toMatch(/Pengaduan baru diteruskan\s+: 1\b/);
    // The command's own transport sent the admins' summary and nothing else.
    expect(files(ownOutbox)).toHaveLength(1);
    expect(files(ownOutbox)[0]).toMatch(/^alert\.import/);
    // The team mail comes from the service's workers, into the service's outbox.
    await waitFor(async () => teamMails().length === before + 1, 15_000, 'team mail sent by the service');
  }, 60_000);

  it('with Redis away: history alone is imported; a recent record stops it with one line, and a rerun continues', async () => {
    const away = 'redis://127.0.0.1:1';
    const historyOnly = aduan(
      ['import', 'call-center', '--file', archiveOf('log-lama-redis.csv', 2000, 3, 0)],
      configDir,
      away,
    );
    expect(historyOnly.stderr).toBe('');
    expect(historyOnly.status).toBe(0);
    expect(historyOnly.stdout).toMatch(/Tiket historis baru\s+: 3 /);
    expect(historyOnly.ms).toBeLessThan(15_000); // ~1–3 s of it is Node loading and training the classifier

    const mixed = archiveOf('log-campuran-redis.csv', 3000, 2, 1);
    const stopped = aduan(['import', 'call-center', '--file', mixed], configDir, away);
    expect(stopped.status).toBe(2);
    expect(stopped.ms).toBeLessThan(15_000);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr.trim().split('\n')).toHaveLength(1);
    expect(stopped.stderr).toContain('Redis at redis://127.0.0.1:1 cannot be used');
    expect(stopped.stderr).toContain('run the same command again');

    const before = teamMails().length;
    const resumed = aduan(['import', 'call-center', '--file', mixed]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    // The older rows were stored by the stopped run: the same import, nothing twice.
    expect(resumed.stdout).toMatch(/Tiket historis baru\s+: 0 \(seluruh impor ini: 2 /);
    await waitFor(async () => teamMails().length === before + 1, 15_000, 'team mail of the recent call');
    await new Promise((r) => setTimeout(r, 1000));
    expect(teamMails()).toHaveLength(before + 1);
  }, 60_000);

  it('with the store unreachable: one line naming it and the fix, exit 2, within seconds', () => {
    const blocked = path.join(root, 'not-a-folder');
    writeFileSync(blocked, 'a file where the data folder should be');
    const dir = writeConfigDir(path.join(root, 'etc-aduan-no-store'), {
      service: { dataDir: path.join(blocked, 'data') },
      redis: { prefix: env.config.redis.prefix },
      outbound: { mode: 'outbox', outboxDir: path.join(root, 'no-store-outbox') },
    });
    const result = aduan(['import', 'call-center', '--file', archive], dir);
    expect(result.status).toBe(2);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('the store (');
    expect(result.stderr).toContain('check service.dataDir');
  }, 30_000);
});
