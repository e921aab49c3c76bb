import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runIntake } from '../../../src/cli/commands/intake';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { createTestEnv, type TestEnv } from '../../support/service-harness';

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('aduan intake (offline complaints)', () => {
  let env: TestEnv;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(() => env.cleanup());

  async function tickets() {
    const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    const all = await store.listTickets({});
    await store.close();
    return all;
  }

  test('a walk-in gets a printed receipt; entering it again gives the same ticket, not a second one', async () => {
    const form = { channel: 'walk-in', queue: 'A012', name: 'Hotman Nainggolan', phone: '0813 7000 4455', text: 'Mau mendaftarkan perkawinan langsung, pemberkatan di gereja tadi pagi.' };
    const first = capture();
    expect(await runIntake(env.config, env.configDir, form, env.log, first.stream, capture().stream)).toBe(0);
    expect(first.text()).toContain('TANDA TERIMA PENGADUAN');
    expect(first.text()).toMatch(/Nomor tiket\s+: ADU-\d{4}-000001\n/);
    expect(first.text()).toMatch(/Nomor antrian : A012/);
    expect(first.text()).toMatch(/Jenis\s+: Permohonan Perkawinan Langsung/);
    expect(first.text()).toMatch(/Target\s+: 15 menit \(paling lambat .* WIB\)/);

    const again = capture();
    expect(await runIntake(env.config, env.configDir, form, env.log, again.stream, capture().stream)).toBe(0);
    expect(again.text()).toMatch(/ADU-\d{4}-000001 \(sudah tercatat sebelumnya\)/);
    const all = await tickets();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ channel: 'walk-in', queueNumber: 'A012', complainant: { phone: '+6281370004455' }, team: 'capil' });
  });

  test('slips from a file: one ticket each, a bad line reported with its number, the rest continue', async () => {
    const file = path.join(env.dir, 'slips.jsonl');
    writeFileSync(file, [
      JSON.stringify({ slip: 'KS-001', date: '2026-11-27', text: 'Petugas loket kurang ramah dan antrean sangat panjang.' }),
      '{broken',
      JSON.stringify({ slip: 'KS-002', date: '2026-11-27', name: 'Ani', text: 'Apa saja syarat mengurus akta kematian orang tua?' }),
    ].join('\n') + '\n');
    const out = capture();
    const err = capture();
    expect(await runIntake(env.config, env.configDir, { file }, env.log, out.stream, err.stream)).toBe(1);
    expect(err.text()).toContain('slips.jsonl:2: baris 2: bukan JSON yang sah');
    expect(out.text().match(/TANDA TERIMA PENGADUAN/g)).toHaveLength(2);
    // Typed in again after fixing line 2: the two good slips are not doubled.
    writeFileSync(file, [JSON.stringify({ slip: 'KS-001', date: '2026-11-27', text: 'Petugas loket kurang ramah dan antrean sangat panjang.' }), JSON.stringify({ slip: 'KS-003', text: 'Toilet ruang tunggu rusak.' })].join('\n'));
    expect(await runIntake(env.config, env.configDir, { file }, env.log, capture().stream, capture().stream)).toBe(0);
    const all = await tickets();
    expect(all.map((t) => t.sourceId).sort()).toEqual(['slip:KS-001', 'slip:KS-002', 'slip:KS-003']);
    expect(all.find((t) => t.sourceId === 'slip:KS-002')?.classification.category).toBe('document-requirements');
  });

  test('missing text is refused before anything is stored', async () => {
    const err = capture();
    expect(await runIntake(env.config, env.configDir, { channel: 'walk-in', queue: 'A1' }, env.log, capture().stream, err.stream)).toBe(2);
    expect(err.text()).toContain('--text');
  });
});
