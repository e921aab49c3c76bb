import { runIntake } from '../../../src/cli/commands/intake';
import { runTicketResolve, runTicketShow } from '../../../src/cli/commands/ticket';
import { SqliteStore } from '../../../src/store/sqlite-store';
import path from 'node:path';
import { createTestEnv, type TestEnv } from '../../support/service-harness';

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('aduan ticket show / resolve', () => {
  let env: TestEnv;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(() => env.cleanup());

  test('shows a ticket with masked NIK and its history, resolves it once with the resolution time', async () => {
    const receipt = capture();
    await runIntake(env.config, env.configDir, { channel: 'walk-in', queue: 'B007', name: 'Rugun', nik: '1211045706890002', text: 'NIK saya ditolak saat daftar BPJS Kesehatan, mohon konsolidasi' }, env.log, receipt.stream, capture().stream);
    const number = /ADU-\d{4}-\d{6}/.exec(receipt.text())![0];

    const shown = capture();
    expect(await runTicketShow(env.config, number.toLowerCase(), shown.stream, capture().stream)).toBe(0);
    expect(shown.text()).toContain(`Tiket      : ${number}`);
    expect(shown.text()).toContain('Konsolidasi NIK');
    expect(shown.text()).toContain('NIK ************0002');
    expect(shown.text()).not.toContain('1211045706890002');
    expect(shown.text()).toMatch(/Riwayat:\n.*received/);
    // Walk-in: the officer answered at the counter, so the first response is immediate.
    expect(shown.text()).toContain('Respon awal: 0 menit kerja; penyelesaian: belum');

    const resolved = capture();
    expect(await runTicketResolve(env.config, number, 'NIK sudah dikonsolidasi, silakan daftar ulang BPJS.', resolved.stream, capture().stream)).toBe(0);
    expect(resolved.text()).toMatch(new RegExp(`tiket ${number} ditandai selesai; waktu penyelesaian \\d+ menit kerja \\(target 5 menit\\)`));
    const again = capture();
    expect(await runTicketResolve(env.config, number, 'lagi', again.stream, capture().stream)).toBe(0);
    expect(again.text()).toContain('sudah selesai sebelumnya');
    const after = capture();
    await runTicketShow(env.config, number, after.stream, capture().stream);
    expect(after.text()).toMatch(/penyelesaian: \d+ menit kerja \((sesuai|melewati) target\)/);

    const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    const ticket = await store.getTicketByNumber(number);
    await store.close();
    expect(ticket?.status).toBe('resolved');
    expect(ticket?.history.filter((h) => h.event === 'resolved')).toEqual([expect.objectContaining({ note: 'NIK sudah dikonsolidasi, silakan daftar ulang BPJS.' })]);
  });

  test('an unknown ticket is a clear error', async () => {
    const err = capture();
    expect(await runTicketShow(env.config, 'ADU-2026-999999', capture().stream, err.stream)).toBe(1);
    expect(err.text()).toContain('tiket ADU-2026-999999 tidak ditemukan');
  });
});
