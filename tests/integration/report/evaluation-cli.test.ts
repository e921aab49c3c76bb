import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { createStore } from '../../../src/main';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { seedEvaluationTickets } from '../../support/evaluation-tickets';

/**
 * `aduan evaluation list|note` as a process against a real SQLite store: bad input is refused with a
 * clear message and exit code 2 (nothing written); a plan may only be started for a problem the month's
 * recap flags; an existing plan is updated (its status too); `list` shows keys, plans and last month's.
 */

const REPO = path.resolve(__dirname, '../../..');

describe('aduan evaluation', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-evaluation-cli-'));
  let configDir: string;
  const aduan = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args, '-c', configDir], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, MONGODB_URL: '' },
      timeout: 60_000,
    });
  const plans = async () => {
    const store = createStore(loadConfig(configDir, { ...process.env, MONGODB_URL: '' }));
    await store.init();
    try {
      return await store.listFollowUpPlans('2026-12');
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    configDir = writeConfigDir(root, { service: { dataDir: path.join(root, 'data') } });
    const store = createStore(loadConfig(configDir, { ...process.env, MONGODB_URL: '' }));
    await store.init();
    try {
      await seedEvaluationTickets(store);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const note = ['evaluation', 'note', '--period', '2026-11', '--who', 'Kabid PIAK', '--due', '2026-12-18'];

  test.each([
    [['--problem', 'rising:nik-consolidation', '--period', '2026-13'], /--period "2026-13" bukan bulan/],
    [['--problem', 'Rising NIK'], /--problem "Rising NIK" bukan kode masalah/],
    [['--problem', 'rising:nik-consolidation', '--due', '2026-02-30'], /--due "2026-02-30" bukan tanggal/],
    [['--problem', 'rising:nik-consolidation', '--status', 'maybe'], /--status "maybe": pilih open atau done/],
    [['--problem', 'rising:nik-consolidation', '--who', ' \u0007 '], /--who kosong/],
    [
      ['--problem', 'rising:skpwni-online'],
      /rekap 2026-11 tidak menandai "rising:skpwni-online".*rising:nik-consolidation/,
    ],
  ])('%j is refused with exit code 2 and nothing is written', async (extra, message) => {
    const result = aduan([...note, ...extra]);
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 2,
      stderr: expect.stringMatching(message),
    });
    expect(await plans()).toEqual([]);
  });

  test('a plan for a flagged problem is written, then updated to done; list shows it with its key', async () => {
    const first = aduan([
      ...note,
      '--problem',
      'rising:nik-consolidation',
      '--action',
      'Buka loket',
      '--operator',
      'kadis',
    ]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('dicatat: 2026-11 rising:nik-consolidation — Kabid PIAK, paling lambat 2026-12-18');
    const done = aduan([...note, '--problem', 'rising:nik-consolidation', '--status', 'done']);
    expect(done.stdout).toContain('diperbarui: 2026-11 rising:nik-consolidation');
    expect(await plans()).toEqual([
      expect.objectContaining({
        period: '2026-11',
        problem: 'rising:nik-consolidation',
        status: 'done',
        who: 'Kabid PIAK',
      }),
    ]);
    const list = aduan(['evaluation', 'list', '--period', '2026-11']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(
      /rising:nik-consolidation\n {2}Pengaduan Konsolidasi NIK meningkat: 9[^\n]*\n {2}rencana: Kabid PIAK, paling lambat 2026-12-18, selesai/,
    );
    expect(list.stdout).toMatch(/repeat:nik-consolidation\n[^\n]*\n {2}rencana: belum ada/);
    // December's list carries November's plan (done: shown once).
    expect(aduan(['evaluation', 'list', '--period', '2026-12']).stdout).toContain(
      'Tindak lanjut bulan sebelumnya:\n  2026-11 rising:nik-consolidation: Kabid PIAK, paling lambat 2026-12-18, selesai',
    );
  });
});
