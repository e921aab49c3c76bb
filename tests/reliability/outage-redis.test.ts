import { FEED_CHANNELS, planComplaints, seededRandom } from '../support/reliability/complaints';
import { settleAndJudge, sleep } from '../support/reliability/outage';
import { Rig } from '../support/reliability/rig';
import { PrivateRedis } from '../support/redis-server';
import { DOVECOT, skipFileUnless } from '../support/required-program';

skipFileUnless(DOVECOT);

/**
 * Redis dies mid-run (SIGKILL, no persistence) and comes back empty four seconds later: every queued
 * and active job is gone (SMTP holds its answers a moment before, so effect jobs are waiting). `aduan start` (a child process, live mode, all five channels) must ride it
 * out without exiting, and the store's intake inbox and effect records plus the reconciler must bring
 * every complaint to exactly one ticket, one initial response and one team mail. Runs its own
 * redis-server on a free port; the shared one on 6379 is never touched.
 */

jest.setTimeout(120_000);

let redis: PrivateRedis | undefined;
let rig: Rig | undefined;

afterAll(async () => {
  await rig?.destroy();
  await redis?.stop();
});

test('Redis killed mid-run and restarted empty: nothing lost, nothing doubled, nothing personal logged', async () => {
  redis = await PrivateRedis.start();
  const plan = planComplaints(90, seededRandom(8001), 'RDS');
  rig = await Rig.start({ label: 'outage-redis', channels: [...FEED_CHANNELS], redisUrl: redis.url });
  rig.startService();
  await rig.current!.ready;

  const feeding = rig.feedAll(plan, 9_000);
  // Mail is slow to be accepted for a moment, so effect jobs queue up in Redis: the restart loses them.
  await sleep(1_500);
  rig.sink.holdFor(4_000);
  await sleep(2_000);
  const jobsLost = await rig.queuedJobs();
  await redis.stop();
  const fedBeforeOutage = rig.fed.length;
  await sleep(4_000);
  await redis.start();
  await feeding;

  const verdict = await settleAndJudge(rig, 60_000);
  process.stdout.write(
    `\nRedis outage (4 s, restarted empty after ${fedBeforeOutage} of 90 fed, ${jobsLost} queued jobs lost with it): ${verdict.summary}\n`,
  );
  expect(verdict.violations).toEqual([]);
  expect(verdict.tally.tickets).toBe(90);
  expect(fedBeforeOutage).toBeLessThan(90);
  // Work that lived only in Redis was lost with it; the reconciler put it back from the store.
  expect(jobsLost).toBeGreaterThan(0);
  expect(rig.log).toContain('reconciler re-queued unfinished work');
});
