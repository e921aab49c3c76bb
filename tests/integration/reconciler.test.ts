import { UnrecoverableError, Worker } from 'bullmq';
import type { ComplaintInputDraft } from '../../src/domain/complaint';
import type { RunningService } from '../../src/main';
import { QUEUE, intakeJobId, openQueues } from '../../src/pipeline/queues';
import { SqliteStore } from '../../src/store/sqlite-store';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../support/service-harness';
import path from 'node:path';

function complaint(sourceId: string): ComplaintInputDraft & Record<string, unknown> {
  return {
    channel: 'email',
    sourceId,
    receivedAt: '2026-11-30T09:00:00+07:00',
    complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com' },
    subject: 'Surat keterangan belum menikah',
    text: 'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
    references: [],
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
  };
}

const STUCK = 1_050;
const LATER = () => Date.now() + 10 * 60_000;

describe('reconciler: dead intake entries and paging', () => {
  let env: TestEnv;
  let service: RunningService | undefined;

  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  /** Accepts complaints into the store's inbox as the channels do; their jobs are left to the caller. */
  async function accept(ids: string[]): Promise<void> {
    const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    await Promise.all(ids.map((id) => store.acceptIntake('email', id, JSON.stringify(complaint(id)))));
    await store.close();
  }

  test('more than 1,000 entries whose jobs died are marked dead and do not starve a new one', async () => {
    const stuck = Array.from({ length: STUCK }, (_, i) => `<stuck-${i}@mail.gmail.com>`);
    await accept(stuck);
    // Their jobs failed for good while the service was down (a worker that dies on them), before any copy
    // reached the dead-letter queue.
    const queues = openQueues({ url: env.config.redis.url }, env.config.redis.prefix, 1);
    await queues.intake.addBulk(
      stuck.map((id) => ({
        name: 'complaint',
        data: { complaint: complaint(id) },
        opts: { jobId: intakeJobId('email', id) },
      })),
    );
    const poison = new Worker(
      QUEUE.intake,
      async () => {
        throw new UnrecoverableError('cannot be processed');
      },
      { connection: { url: env.config.redis.url }, prefix: env.config.redis.prefix, concurrency: 50 },
    );
    await waitFor(async () => (await queues.intake.getFailedCount()) === STUCK, 30_000, 'stuck jobs failed');
    await poison.close();
    await queues.close();

    // Start-up copies them to the dead-letter queue and marks their entries dead.
    service = await startTestService(env);
    expect(await service.queues.deadLetter.getWaitingCount()).toBe(STUCK);
    expect(await service.store.listPendingIntake(new Date(LATER()).toISOString(), 10)).toEqual([]);
    expect(await service.store.listDeadIntake(2_000)).toHaveLength(STUCK);

    // A new complaint whose job Redis lost: the next pass queues it, and only it.
    const fresh = '<fresh@mail.gmail.com>';
    await service.store.acceptIntake('email', fresh, JSON.stringify(complaint(fresh)));
    expect(await service.reconciler.runOnce(LATER())).toEqual({ intake: 1, effects: 0 });
    await waitFor(() => service!.store.findBySource('email', fresh), 10_000, 'ticket of the new complaint');
    expect(await service.reconciler.runOnce(LATER())).toEqual({ intake: 0, effects: 0 });
  }, 90_000);

  // A job dead-lettered while the service runs: tests/integration/pipeline.test.ts (the follow-up whose job Redis lost).

  test('a backlog larger than a page is queued in one pass, the newest entry included', async () => {
    service = await startTestService(env);
    await service.queues.intake.pause(); // to count what the pass queues
    const ids = Array.from({ length: 1_500 }, (_, i) => `<lost-${i}@mail.gmail.com>`);
    await accept(ids);
    expect((await service.reconciler.runOnce(LATER())).intake).toBe(1_500);
    expect(await service.queues.intake.getWaitingCount()).toBe(1_500);
    expect(await service.queues.intake.getJob(intakeJobId('email', ids.at(-1)!))).toBeDefined();
  }, 60_000);
});
