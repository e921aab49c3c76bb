import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, writeConfigDir } from '../support/config-dir';
import { REDIS_URL } from '../support/service-harness';

const REPO = path.resolve(__dirname, '../..');

function aduan(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL, ...env },
    timeout: 90_000,
  });
}

describe('aduan CLI', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'aduan-cli-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('demo runs every sample through the real pipeline and prints the table', () => {
    const result = aduan(['demo', '--work-dir', work]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const samples = readdirSync(path.join(REPO, 'samples')).filter((f) => f.endsWith('.jsonl'));
    const records = samples.flatMap((f) =>
      readFileSync(path.join(REPO, 'samples', f), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).length;
    const mails = readdirSync(path.join(REPO, 'samples', 'email')).filter((f) => f.endsWith('.eml')).length;
    const callRows =
      readFileSync(path.join(REPO, 'samples', 'callcenter', 'log-agen-2026-11-30.csv'), 'utf8').split(/\r?\n(?=\d)/)
        .length - 1;
    const metaMessages = readdirSync(path.join(REPO, 'samples', 'meta')).flatMap((f) =>
      (
        JSON.parse(readFileSync(path.join(REPO, 'samples', 'meta', f), 'utf8')) as {
          entry: Array<{ messaging: unknown[] }>;
        }
      ).entry.flatMap((e) => e.messaging),
    ).length;
    const whatsappMessages = readdirSync(path.join(REPO, 'samples', 'whatsapp')).flatMap((f) =>
      (
        JSON.parse(readFileSync(path.join(REPO, 'samples', 'whatsapp', f), 'utf8')) as {
          entry: Array<{ changes: Array<{ value: { messages?: unknown[] } }> }>;
        }
      ).entry.flatMap((e) => e.changes.flatMap((c) => c.value.messages ?? [])),
    ).length;
    const portalRecords = (
      JSON.parse(readFileSync(path.join(REPO, 'samples', 'perkebbas', 'records.json'), 'utf8')) as unknown[]
    ).length;
    const laporReports = (
      JSON.parse(readFileSync(path.join(REPO, 'samples', 'lapor', 'reports.json'), 'utf8')) as unknown[]
    ).length;
    const expected = records + mails + callRows + metaMessages + whatsappMessages + portalRecords + laporReports;
    expect(expected).toBeGreaterThanOrEqual(16);
    const rows = result.stdout.split('\n').filter((line) => /^ADU-\d{4}-\d{6}\s/.test(line));
    expect(rows).toHaveLength(expected);
    expect(result.stdout).toMatch(/^Tiket\s+Kanal\s+Jenis\s+Target\s+Tim\s+Respon awal/m);
    for (const channel of [
      'email',
      'messenger',
      'instagram',
      'perkebbas',
      'call-center',
      'suggestion-box',
      'walk-in',
      'whatsapp',
      'lapor',
    ]) {
      expect(rows.some((row) => row.includes(` ${channel} `))).toBe(true);
    }
    const outbox = readdirSync(path.join(work, 'outbox'));
    expect(outbox.filter((f) => f.endsWith('.team.eml'))).toHaveLength(expected);
    // This month's recap, with earlier months seeded as history: the evaluation sections have content.
    const recap = readdirSync(work).find((f) => /^rekap-pengaduan-.*\.html$/.test(f));
    expect(result.stdout).toContain(
      `Recap of this month (earlier months seeded as history): ${path.join(work, recap!)}`,
    );
    const html = readFileSync(path.join(work, recap!), 'utf8');
    expect(html).toContain('<h2>Rencana tindak lanjut</h2>');
    // The survey part: rated sample tickets and service forms, and the recap's satisfaction section.
    expect(result.stdout).toContain('Survei pasca-pengaduan   : 4 responden, rata-rata 2,50 dari 4 (bukan SKM resmi)');
    expect(html).toContain('Survei Kepuasan Masyarakat (SKM)');
    expect(html).toMatch(/<tr data-kind="[a-z-]+" class="flagged">/); // a kind or theme rising
    expect(html).toMatch(/<tr data-problem="missed-target:[a-z-]+" data-period="\d{4}-\d{2}">/); // last month's plan
  });

  test('demo without Redis says how to start one and exits non-zero', () => {
    const result = aduan(['demo', '--work-dir', work], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Redis does not answer at redis://127.0.0.1:1');
    expect(result.stderr).toContain('redis-server');
  });

  test('check-config exits 1 with file, line and key for a broken config folder', () => {
    // An admin's local override with two mistakes: a misspelt key and an invalid address.
    const configDir = writeConfigDir(path.join(work, 'broken'), {
      pipeline: { atempts: 5 },
      teams: { piak: { name: 'Bidang PIAK', emails: ['piak-at-disdukcapil'] } },
    });
    const result = aduan(['check-config', '--config', configDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/local\.yaml:\d+:\d+ pipeline\.atempts: unknown key "atempts"/);
    expect(result.stderr).toMatch(/local\.yaml:\d+:\d+ teams\.piak\.emails\.0: /);
  });

  test.each([
    ['start'],
    ['check-config'],
    ['demo'],
    ['intake'],
    ['classify'],
    ['ticket', 'show'],
    ['ticket', 'list'],
    ['ticket', 'route'],
    ['ticket', 'resolve'],
    ['ticket', 'answer'],
    ['report'],
    ['quarantine', 'list'],
    ['quarantine', 'show'],
    ['dlq', 'list'],
    ['dlq', 'replay'],
  ])('%s --help', (...command) => {
    const result = aduan([...command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: aduan /);
    expect(result.stdout).toContain('--config');
  });

  test('classify reads JSON lines on stdin and writes one result per line', () => {
    const input = [
      { id: 'a', channel: 'messenger', text: 'min sy lupa password perkebbas gk bs login' },
      {
        id: 'b',
        subject: 'NIK ditolak',
        text: 'NIK saya tidak terdaftar waktu daftar BPJS Kesehatan, mohon konsolidasi',
      },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const result = spawnSync(process.execPath, [CLI, 'classify'], {
      cwd: REPO,
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ id: 'a', category: 'perkebbas-account', targetMinutes: 15 }),
      expect.objectContaining({ id: 'b', category: 'nik-consolidation', targetMinutes: 5 }),
    ]);
    expect(lines[0].evidence.length).toBeGreaterThan(0);
  });

  test('an unknown command fails with help', () => {
    const result = aduan(['frobnicate']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command/);
  });
});
