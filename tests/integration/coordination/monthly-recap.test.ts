import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { RunningService } from '../../../src/main';
import { previousMonth } from '../../../src/report/recap-report';
import { SCHEDULE_QUEUE, sendMonthlyRecap } from '../../../src/pipeline/monthly-recap';
import type { FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, startTestService, waitFor, type TestEnv, recordingOutbox } from '../../support/service-harness';

describe('monthly recap mail', () => {
  let env: TestEnv;
  let service: RunningService;
  let sent: FlakyTransport;
  let queue: Queue;

  beforeEach(async () => {
    env = createTestEnv((c) => ({
      ...c,
      reports: { ...c.reports, monthlyRecipients: ['kadis@aduan.test'], monthlyAt: '07:00' },
    }));
    sent = recordingOutbox(env);
    service = await startTestService(env, { transports: { citizen: { email: sent }, team: sent } });
    queue = new Queue(SCHEDULE_QUEUE, { connection: { url: env.config.redis.url }, prefix: env.config.redis.prefix });
  });
  afterEach(async () => {
    await queue.close();
    await service.stop();
    await env.cleanup();
  });

  const recaps = () => sent.delivered.filter((m) => m.purpose === 'report');

  test('the service schedules it for the 1st at 07:00 office time, and the scheduled job mails the previous month', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([
      expect.objectContaining({ key: 'monthly-recap', pattern: '0 7 1 * *', tz: 'Asia/Jakarta' }),
    ]);
    const [next] = await queue.getDelayed();
    const firesAt = new Date(next!.timestamp + (next!.opts.delay ?? 0));
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Jakarta',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(firesAt),
    ).toBe('1, 07:00');

    // Run the job now, as the scheduler would: it reports the month before today.
    await queue.add('monthly-recap', {}, { jobId: 'manual-recap' });
    const mail = await waitFor(async () => recaps()[0], 15_000, 'the recap mail');
    const month = previousMonth(new Date(), 'Asia/Jakarta').from.slice(0, 7);
    expect(mail).toMatchObject({
      to: ['kadis@aduan.test'],
      id: `alert.recap-${month}`,
      subject: expect.stringMatching(/^Rekap pengaduan /),
    });
  });

  test('mails the previous month once, with the HTML and CSV attached, however often the job runs', async () => {
    for (const [i, day] of [
      '2026-11-03T09:00:00+07:00',
      '2026-11-20T10:00:00+07:00',
      '2026-12-01T09:00:00+07:00',
    ].entries()) {
      await service.sink.submit(
        {
          channel: 'email',
          sourceId: `<rekap-${i}@mail.gmail.com>`,
          receivedAt: day,
          complainant: { email: `warga${i}@example.com` },
          text: 'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
        },
        { channel: 'email' },
      );
    }
    await waitFor(async () => (await service.store.countTickets()) === 3, 10_000, 'three tickets');
    const deps = { store: service.store, config: env.config, transport: sent, log: env.log };
    const now = new Date('2026-12-01T07:00:00+07:00');
    await sendMonthlyRecap(deps, now);
    expect(await sendMonthlyRecap(deps, now)).toBe('recap 2026-11 already sent');

    expect(recaps()).toHaveLength(1);
    const [mail] = recaps();
    expect(mail!.subject).toBe('Rekap pengaduan November 2026: 2 pengaduan, 0 selesai, 2 terlambat');
    expect(mail!.attachments!.map((a) => a.filename)).toEqual([
      'rekap-pengaduan-2026-11.html',
      'rekap-pengaduan-2026-11.csv',
    ]);
    const html = readFileSync(mail!.attachments![0]!.path, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Rekapitulasi Pengaduan');
    expect(readFileSync(mail!.attachments![1]!.path, 'utf8')).toContain('Surat');
    // The evaluation and the formal touches travel with it: both late tickets missed their target.
    expect(html).toContain('<h2>Rencana tindak lanjut</h2>');
    expect(html).toContain('<tr data-problem="missed-target:unmarried-certificate">');
    expect(html).toContain('Nomor: 470/11/REKAP-PENGADUAN/Dukcapil/XI/2026');
    expect(html).toContain('Mengetahui,');
    expect(mail!.text).toContain('Masalah berulang ditandai : 1');
    expect(mail!.text).toContain('Surat Keterangan Belum Menikah: 2 dari 2 pengaduan tidak selesai tepat waktu');
  });
});
