import path from 'node:path';
import { Queue } from 'bullmq';
import { AdminAlerts } from '../../../src/ops/admin-alerts';
import { DeadLetterWatch } from '../../../src/ops/dead-letter-watch';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, type TestEnv, recordingOutbox } from '../../support/service-harness';

describe('admin alert when the dead-letter queue grows', () => {
  let env: TestEnv;
  let store: SqliteStore;
  let queue: Queue;
  let sent: FlakyTransport;
  let watch: DeadLetterWatch;

  beforeEach(async () => {
    env = createTestEnv();
    store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    queue = new Queue('dead-letter', { connection: { url: env.config.redis.url }, prefix: env.config.redis.prefix });
    sent = recordingOutbox(env);
    const alerts = new AdminAlerts(store, sent, { adminEmails: ['admin@aduan.test'], repeatAfterMinutes: 60 }, env.log);
    watch = new DeadLetterWatch(queue, store, alerts, env.log);
  });
  afterEach(async () => {
    await queue.close();
    await store.close();
    await env.cleanup();
  });

  const dead = (n: number) => queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'dead', data: { i } })));

  test('alerts once per growth, at most once per repeat window, and re-arms when the queue is emptied', async () => {
    expect(await watch.check()).toBe(0);
    expect(sent.delivered).toHaveLength(0);

    await dead(2);
    await watch.check();
    await watch.check(); // not grown since: nothing more
    expect(sent.delivered.map((m) => m.subject)).toEqual(['[aduan] 2 pekerjaan gagal menunggu di antrean DLQ']);
    expect(sent.delivered[0]!.text).toContain('aduan dlq replay --all');

    await dead(1);
    await watch.check(); // grown, but within the repeat window
    expect(sent.delivered).toHaveLength(1);

    await store.setCursor('alert:dead-letter-growing', new Date(Date.now() - 61 * 60_000).toISOString());
    await watch.check(); // the window has passed
    expect(sent.delivered.map((m) => m.subject)).toEqual([
      '[aduan] 2 pekerjaan gagal menunggu di antrean DLQ',
      '[aduan] 3 pekerjaan gagal menunggu di antrean DLQ',
    ]);

    await queue.obliterate({ force: true });
    await watch.check();
    await dead(1);
    await watch.check(); // emptied in between: a new problem alerts at once
    expect(sent.delivered.map((m) => m.subject).at(-1)).toBe('[aduan] 1 pekerjaan gagal menunggu di antrean DLQ');
    expect(sent.delivered).toHaveLength(3);
  });
});
