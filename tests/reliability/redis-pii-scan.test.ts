import type { ComplaintInputDraft } from '../../src/domain/complaint';
import { NotSentError } from '../../src/outbound/message';
import type { RunningService } from '../../src/main';
import { PermanentError } from '../../src/lib/errors';
import { FlakyTransport } from '../support/flaky-transport';
import { planComplaints, seededRandom, type FedComplaint } from '../support/reliability/complaints';
import { scanForPersonalData } from '../support/reliability/pii-scan';
import { dumpRedisKeys } from '../support/reliability/redis-dump';
import { createTestEnv, recordingOutbox, startTestService, waitFor, type TestEnv } from '../support/service-harness';

/**
 * Redis keeps job data in clear text: after a run — jobs waiting, done, retried, failed and dead-lettered
 * — no key under the run's prefix holds a fed NIK, KK or phone number, nor any NIK-like or full mobile
 * number. Intake jobs carry the store's intake entry (channel + source id), not the complaint.
 */

const fed = planComplaints(12, seededRandom(22), 'RDS');

function asEmail(c: FedComplaint, i: number): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<rds-${i}@mail.gmail.com>`,
    receivedAt: new Date().toISOString(),
    complainant: { name: c.name, email: `warga${i}@gmail.com`, phone: c.phone, nik: c.nik },
    subject: `Pengaduan ${c.name} HP ${c.phone}`,
    text: c.text,
  };
}

describe('Redis after a run', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(async () => {
    await service?.stop();
    await env.cleanup();
  });

  test('holds no NIK or phone number: waiting, finished, failed and dead-lettered jobs alike', async () => {
    const outbox = recordingOutbox(env);
    // The team mail of every third ticket fails for good: its job ends in the dead-letter queue.
    const team = new FlakyTransport(outbox, (message) =>
      /-00000[369]/.test(message.id) && message.purpose === 'team-ticket'
        ? new PermanentError('550 mailbox unavailable')
        : undefined,
    );
    const citizen = new FlakyTransport(outbox, (_m, attempt) =>
      attempt === 1 ? new NotSentError('jendela 24 jam') : undefined,
    );
    service = await startTestService(env, { transports: { team, citizen: { email: citizen } } });
    const scan = async () => {
      const dump = await dumpRedisKeys(env.config.redis, env.config.redis.prefix);
      return { ...dump, findings: scanForPersonalData(dump.text, fed) };
    };

    // Jobs waiting: the workers are paused, the complaints are queued.
    await service.queues.intake.pause();
    for (const [i, c] of fed.entries()) await service.sink.submit(asEmail(c, i), { channel: 'email' });
    const waiting = await scan();
    expect(waiting.text).toContain('rds-0@mail.gmail.com'); // the job's reference was scanned
    expect(waiting.findings).toEqual([]);

    // The run: tickets, replies, team mail, failures and dead letters.
    await service.queues.intake.resume();
    await waitFor(async () => (await service!.store.countTickets()) === fed.length || undefined, 30_000, 'tickets');
    await waitFor(async () => (await service!.queues.deadLetter.count()) > 0 || undefined, 30_000, 'dead letters');
    const after = await scan();
    expect(after.keys).toBeGreaterThan(5);
    expect(after.text).toContain('550 mailbox unavailable'); // failed job data is in the dump
    expect(after.findings).toEqual([]);
  });
});
