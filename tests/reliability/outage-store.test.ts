import Database from 'better-sqlite3';
import { FEED_CHANNELS, planComplaints, seededRandom } from '../support/reliability/complaints';
import { settleAndJudge, sleep } from '../support/reliability/outage';
import { Rig } from '../support/reliability/rig';
import { DOVECOT, skipFileUnless } from '../support/required-program';

skipFileUnless(DOVECOT);

/**
 * The store becomes unavailable: another connection holds an exclusive lock on the SQLite file for
 * 12 s, more than twice the service's busy_timeout (5 s), so its writes fail with SQLITE_BUSY. Channels must not
 * advance past what they could not store, jobs must back off and retry, and afterwards every complaint
 * ends with exactly one ticket, one initial response and one team mail. The lock is taken while mail
 * is on its way (the SMTP server holds its "250 OK" a moment), so some sends succeed while the store
 * cannot record them: that must not make the service send them again.
 */

jest.setTimeout(120_000);

let rig: Rig | undefined;

afterAll(async () => {
  await rig?.destroy();
});

test('SQLite locked by another connection for 12 s: backoff, recovery, nothing lost, nothing doubled', async () => {
  const plan = planComplaints(60, seededRandom(8004), 'STO');
  rig = await Rig.start({ label: 'outage-store', channels: [...FEED_CHANNELS] });
  rig.startService();
  await rig.current!.ready;

  const feeding = rig.feedAll(plan, 8_000);
  await sleep(2_000);
  // Take the lock only once a message is on the wire: the SMTP server has it and holds its "250 OK".
  const before = rig.sink.received.length;
  rig.sink.holdFor(4_000);
  for (let waited = 0; rig.sink.received.length === before && waited < 3_500; waited += 20) await sleep(20);
  expect(rig.sink.received.length).toBeGreaterThan(before);
  const locker = new Database(rig.storeFile);
  locker.pragma('busy_timeout = 10000');
  locker.exec('BEGIN EXCLUSIVE');
  const lockedAt = Date.now();
  // Writes are synchronous: each waits out busy_timeout on the event loop, so a send completed during
  // the first 5 s is recorded by the second wait. 12 s makes that one fail too, not just the first.
  await sleep(12_000);
  locker.exec('COMMIT');
  locker.close();
  const lockedMs = Date.now() - lockedAt;
  await feeding;

  const verdict = await settleAndJudge(rig, 90_000);
  process.stdout.write(`\nStore locked ${(lockedMs / 1000).toFixed(1)} s: ${verdict.summary}\n`);
  expect(verdict.violations).toEqual([]);
  expect(verdict.tally.tickets).toBe(60);
  // The lock really got in the way, also of recording sends that had gone out.
  expect(rig.log).toMatch(/SQLITE_BUSY|database is locked/);
  expect(rig.log).toContain('sent, but the store could not record it yet');
});
