import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { REDIS_URL, TEST_REPLY_SECRET } from '../../support/service-harness';
import { HEADER } from './callcenter-test-env';

const DAY = 86_400_000;

/** A row whose time is an ISO instant (the watcher accepts ISO with an offset). */
function row(at: Date, n: number, notes: string): string {
  return `${at.toISOString()};0813${String(10_000_000 + n)};Agen Line 1;"${notes}";;Line 1;\r\n`;
}

describe('aduan import (child process)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-import-'));
  const prefix = `aduan-import-${process.pid}`;
  const outbox = path.join(root, 'outbox');
  const configDir = writeConfigDir(root, {
    service: { dataDir: path.join(root, 'data'), healthPort: 0 },
    redis: { prefix },
    outbound: { mode: 'outbox', outboxDir: outbox },
    alerts: { adminEmails: ['admin@aduan.test'] },
    staff: { replySecret: TEST_REPLY_SECRET },
    channels: {
      callCenter: {
        enabled: false,
        folder: path.join(root, 'callcenter'),
        columns: { time: 'Waktu', caller: 'Nomor Penelepon', agent: 'Agen', notes: 'Ringkasan', nik: 'NIK' },
      },
    },
  });
  const aduan = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args, '--config', configDir], {
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL, ADUAN_CONFIG_DIR: configDir },
      timeout: 90_000,
    });
  const archive = path.join(root, 'arsip', 'log-agen-2026.csv');

  beforeAll(() => {
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
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    rmSync(root, { recursive: true, force: true });
  });

  it('imports old rows as history, routes the recent one, tells the admins once; a second run adds nothing', () => {
    const first = aduan(['import', 'call-center', '--file', archive]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /Tiket historis baru\s+: 12 \(seluruh impor ini: 12 \(\d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d\)\)/,
    );
    expect(first.stdout).toMatch(/Pengaduan baru diteruskan\s+: 1\b/);
    const sent = readdirSync(outbox);
    expect(sent.filter((f) => f.startsWith('alert.import'))).toHaveLength(1);
    expect(sent.filter((f) => f.startsWith('ADU-'))).toHaveLength(1);
    expect(sent).toHaveLength(2);

    const again = aduan(['import', 'call-center', '--file', archive]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/Tiket historis baru\s+: 0 \(seluruh impor ini: 12/);
    expect(readdirSync(outbox)).toEqual(sent);
  }, 120_000);

  it('imports exported mail (a folder of .eml files) as history: the summary is the only message', () => {
    const samples = path.resolve(__dirname, '../../../samples/email');
    const before = readdirSync(outbox).length;
    const result = aduan(['import', 'email', '--file', samples]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The samples are from 30 November 2026: older than two working days whenever this runs after 2 December.
    expect(result.stdout).toMatch(/Tiket historis baru\s+: 4 \(seluruh impor ini: 4 \(2026-11-30 … 2026-11-30\)\)/);
    const added = readdirSync(outbox).length - before;
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
});
