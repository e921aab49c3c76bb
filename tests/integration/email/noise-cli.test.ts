import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { CLI, writeConfigDir } from '../../support/config-dir';

/** `aduan noise list` as an admin runs it, on the store the service wrote. */

const REPO = path.resolve(__dirname, '../../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'aduan-noise-cli-'));
const dataDir = path.join(work, 'data');
const configDir = writeConfigDir(work, { service: { dataDir } });

function aduan(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--config', configDir], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

beforeAll(async () => {
  const store = new SqliteStore(path.join(dataDir, 'aduan.sqlite'));
  await store.init();
  await store.recordNoise({
    channel: 'email',
    mailbox: 'kantor/INBOX',
    sourceId: '<ooo@mail.gmail.com>',
    kind: 'auto-reply',
    reason: 'balasan otomatis (Auto-Submitted: auto-replied)',
    sender: 'warga@gmail.com',
    subject: 'Balasan Otomatis: Re: KTP [ADU-2026-000001]',
    size: 2048,
    ticketNumber: 'ADU-2026-000001',
    at: '2026-12-01T02:05:00.000Z',
  });
  await store.recordNoise({
    channel: 'email',
    mailbox: 'kantor/INBOX',
    sourceId: '<phish@evil.example>',
    kind: 'forged-own-address',
    reason: 'memakai alamat kantor sendiri (pengaduan@disdukcapil.dairikab.go.id) tanpa Message-ID atau token kantor',
    sender: 'pengaduan@disdukcapil.dairikab.go.id',
    subject: 'Verifikasi \u001b[31mkotak surat\u001b[0m',
    size: 900,
    at: '2026-12-01T03:00:00.000Z',
  });
  await store.close();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('a table with Indonesian labels, newest first, local time, escapes what a terminal would obey', () => {
  const result = aduan(['noise', 'list']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines[0]).toBe('2 email otomatis terbaru (tidak menjadi tiket):');
  expect(lines[2]).toMatch(/^Waktu\s+Jenis\s+Pengirim\s+Subjek\s+Ukuran\s+Tiket\s+Kotak surat\s+Alasan$/);
  expect(lines[3]).toMatch(/^2026-12-01 10\.00\s+alamat kantor dipalsukan\s+pengaduan@disdukcapil\.dairikab\.go\.id\s/);
  expect(lines[4]).toMatch(/^2026-12-01 09\.05\s+balasan otomatis\s+warga@gmail\.com\s+Balasan Otomatis: Re: KTP/);
  expect(lines[4]).toMatch(
    /2,0 KB\s+ADU-2026-000001\s+kantor\/INBOX\s+balasan otomatis \(Auto-Submitted: auto-replied\)$/,
  );
  expect(result.stdout).not.toContain('\u001b');
});

test('--json prints one record per line; --limit takes the newest', () => {
  const result = aduan(['noise', 'list', '--json', '--limit', '1']);
  expect(result.status).toBe(0);
  const records = result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { sourceId: string; kind: string });
  expect(records).toEqual([expect.objectContaining({ sourceId: '<phish@evil.example>', kind: 'forged-own-address' })]);
});

test('a bad --limit is refused with a clear message', () => {
  const result = aduan(['noise', 'list', '--limit', 'semua']);
  expect(result.status).toBe(2);
  expect(result.stderr).toBe('--limit harus bilangan bulat 1–10000, bukan "semua"\n');
});
