import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { RunningService } from '../../../src/main';
import { writeConfigDir } from '../../support/config-dir';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { runAduan } from './run-aduan';

jest.setTimeout(90_000);

/**
 * `aduan intake` beside a running service, both on one SQLite store: the command runs the intake step
 * itself (the receipt does not wait for the service), and the service's workers perform the effects,
 * once. With Redis away the receipt is still printed and the service's reconciler sends the mail later.
 */
describe('aduan intake beside a running service', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let configDir: string;
  const outboxOf = () => env.config.outbound.outboxDir;
  const teamMails = () =>
    existsSync(outboxOf()) ? readdirSync(outboxOf()).filter((f) => f.endsWith('.team.eml')) : [];

  beforeEach(async () => {
    env = createTestEnv();
    // A config folder outside the repository, pointing at the service's store, queues and outbox.
    configDir = writeConfigDir(path.join(env.dir, 'etc-aduan'), {
      service: { dataDir: env.config.service.dataDir },
      redis: { prefix: env.config.redis.prefix },
      outbound: { mode: 'outbox', outboxDir: outboxOf() },
    });
    service = await startTestService(env);
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  const walkIn = (queue: string, text: string) => [
    'intake',
    '--channel',
    'walk-in',
    '--queue',
    queue,
    '--name',
    'Hotman',
    '--text',
    text,
    '--config',
    configDir,
  ];

  async function routed(ticketNumber: string) {
    const ticket = await service!.store.getTicketByNumber(ticketNumber);
    const effects = ticket ? await service!.store.listEffects(ticket.id) : [];
    return effects.some((e) => e.kind === 'route' && e.state === 'done');
  }

  test('prints the receipt from its own process; the service workers send the team mail once', async () => {
    const result = await runAduan(
      walkIn('A012', 'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK'),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('TANDA TERIMA PENGADUAN');
    expect(result.stdout).toMatch(/Jenis\s+: Konsolidasi NIK/);
    expect(result.stdout).toMatch(/Target\s+: 5 menit/);
    const number = /Nomor tiket\s+: (ADU-\d{4}-\d{6})/.exec(result.stdout)![1]!;

    // The running service (not the command, which has exited) performs the effects.
    await waitFor(() => routed(number), 15_000, 'team mail sent by the service');
    expect(teamMails()).toHaveLength(1);
    // The same walk-in entered again: the same ticket, and still one team mail.
    const again = await runAduan(walkIn('A012', 'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK'));
    expect(again.stdout).toContain(`${number} (sudah tercatat sebelumnya)`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(teamMails()).toHaveLength(1);
    expect(await service!.store.countTickets()).toBe(1);
  });

  test('a walk-in joined onto a ticket tied to them only by the NIK they gave: the slip names nothing of it', async () => {
    const nik = '1211045706890002';
    const text = 'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK';
    const first = await runAduan([...walkIn('C001', text), '--nik', nik]);
    const number = /Nomor tiket\s+: (ADU-\d{4}-\d{6})/.exec(first.stdout)![1]!;
    // Another person at the counter (another queue number, no phone) gives the same NIK: joined by NIK only.
    const args = walkIn('C002', text);
    args[args.indexOf('Hotman')] = 'Budi';
    const joined = await runAduan([...args, '--nik', nik]);
    expect(joined.status).toBe(0);
    expect(await service!.store.countTickets()).toBe(1);
    expect(joined.stdout).toContain('kami gabungkan dengan pengaduan yang sama yang sudah ada');
    expect(joined.stdout).not.toContain(number);
    expect(joined.stdout).not.toContain('Hotman');
    expect(joined.stdout).not.toContain('Konsolidasi NIK');
    // The clerk is told which ticket, and to check the KTP first.
    expect(joined.stderr).toContain(`digabung ke tiket ${number} yang tertaut hanya karena NIK yang sama`);
  });

  test('two clerks and the service at once: distinct ticket numbers, one team mail each', async () => {
    const texts = [
      'Mau mendaftarkan perkawinan langsung, pemberkatan di gereja tadi pagi.',
      'Apa saja syarat mengurus akta kematian orang tua?',
      'NIK anak saya tidak terdaftar waktu daftar sekolah, mohon dibantu.',
    ];
    const results = await Promise.all(texts.map((t, i) => runAduan(walkIn(`B00${i + 1}`, t))));
    for (const r of results) expect(r.status).toBe(0);
    const numbers = results.map((r) => /Nomor tiket\s+: (ADU-\d{4}-\d{6})/.exec(r.stdout)![1]!);
    expect(new Set(numbers).size).toBe(3);
    for (const n of numbers) await waitFor(() => routed(n), 15_000, `team mail of ${n}`);
    expect(teamMails()).toHaveLength(3);
  });

  test('with Redis away: the receipt within seconds, a clear notice, and the service sends the mail later', async () => {
    const result = await runAduan(walkIn('C001', 'Antrean di loket KK terlalu panjang, mohon ditambah petugas.'), {
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.status).toBe(0);
    expect(result.ms).toBeLessThan(15_000); // ~1–3 s of it is Node loading and training the classifier
    expect(result.stdout).toContain('TANDA TERIMA PENGADUAN');
    expect(result.stderr).toContain('Redis di redis://127.0.0.1:1) tidak dapat dihubungi');
    expect(result.stderr).toContain('Pengaduan sudah tercatat dan tanda terima sah');
    const number = /Nomor tiket\s+: (ADU-\d{4}-\d{6})/.exec(result.stdout)![1]!;
    expect(await service!.store.getTicketByNumber(number)).toBeDefined();
    expect(teamMails()).toHaveLength(0);

    // The service's reconciler finds the ticket without its first response and queues it, once.
    const later = Date.now() + env.config.pipeline.reconcileAfterMs + 1000;
    expect(await service!.reconciler.runOnce(later)).toMatchObject({ effects: 1 });
    await waitFor(() => routed(number), 15_000, 'team mail after the reconciler');
    await service!.reconciler.runOnce(later);
    await new Promise((r) => setTimeout(r, 500));
    expect(teamMails()).toHaveLength(1);
  });
});
