import { runIntake } from '../../../src/cli/commands/intake';
import { runTicketResolve, runTicketShow } from '../../../src/cli/commands/ticket';
import { SqliteStore } from '../../../src/store/sqlite-store';
import path from 'node:path';
import { createTestEnv, type TestEnv } from '../../support/service-harness';

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe('aduan ticket show / resolve', () => {
  let env: TestEnv;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(() => env.cleanup());

  test('shows a ticket with masked NIK and its history, resolves it once with the resolution time', async () => {
    const receipt = capture();
    await runIntake(
      env.config,
      env.configDir,
      {
        channel: 'walk-in',
        queue: 'B007',
        name: 'Rugun',
        nik: '1211045706890002',
        text: 'NIK saya ditolak saat daftar BPJS Kesehatan, mohon konsolidasi',
      },
      env.log,
      receipt.stream,
      capture().stream,
    );
    const number = /ADU-\d{4}-\d{6}/.exec(receipt.text())![0];

    const shown = capture();
    expect(await runTicketShow(env.config, number.toLowerCase(), shown.stream, capture().stream)).toBe(0);
    expect(shown.text()).toContain(`Tiket      : ${number}`);
    expect(shown.text()).toContain('Konsolidasi NIK');
    expect(shown.text()).toContain('NIK ************0002');
    expect(shown.text()).not.toContain('1211045706890002');
    expect(shown.text()).toMatch(/Riwayat:\n.*diterima/);
    // Walk-in: the officer answered at the counter, so the first response is immediate.
    expect(shown.text()).toContain('Respon awal: 0 menit kerja; penyelesaian: belum');

    const resolved = capture();
    expect(
      await runTicketResolve(
        env.config,
        number,
        'NIK sudah dikonsolidasi, silakan daftar ulang BPJS.',
        resolved.stream,
        capture().stream,
      ),
    ).toBe(0);
    expect(resolved.text()).toMatch(
      new RegExp(`tiket ${number} ditandai selesai; waktu penyelesaian \\d+ menit kerja \\(target 5 menit\\)`),
    );
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
    expect(ticket?.history.filter((h) => h.event === 'resolved')).toEqual([
      expect.objectContaining({ note: 'NIK sudah dikonsolidasi, silakan daftar ulang BPJS.' }),
    ]);
  });

  test('prints stored text terminal-safe and masks NIK/KK however they were written', async () => {
    const receipt = capture();
    const text = 'NIK saya 1211 0457 0689 0002 dan KK 1211.0401.0112.0003,\nNIK anak 121104\n570689 0004. Mohon dicek.';
    await runIntake(
      env.config,
      env.configDir,
      { channel: 'walk-in', queue: 'B008', name: 'Rugun', text },
      env.log,
      receipt.stream,
      capture().stream,
    );
    const number = /ADU-\d{4}-\d{6}/.exec(receipt.text())![0];
    // Staff notes are stored as typed: an ESC sequence in one must not reach the terminal either.
    await runTicketResolve(
      env.config,
      number,
      'selesai \u001b[2J\u001b[1;1HTiket palsu\u0007\u0008 \u202etxt.exe',
      capture().stream,
      capture().stream,
    );

    const shown = capture();
    expect(await runTicketShow(env.config, number, shown.stream, capture().stream)).toBe(0);
    const output = shown.text();
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(output).toContain('selesai \\x1b[2J\\x1b[1;1HTiket palsu\\x07\\x08 \\u202etxt.exe');
    for (const last of ['0002', '0003', '0004']) expect(output).toContain(`************${last}`);
    expect(output).not.toMatch(/1211[ .]?0457|1211[ .]?0401|121104\s/);
  });

  test('an unknown ticket is a clear error', async () => {
    const err = capture();
    expect(await runTicketShow(env.config, 'ADU-2026-999999', capture().stream, err.stream)).toBe(1);
    expect(err.text()).toContain('tiket ADU-2026-999999 tidak ditemukan');
  });
});
