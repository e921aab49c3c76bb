import { planComplaints, seededRandom } from '../support/reliability/complaints';
import { settleAndJudge, sleep } from '../support/reliability/outage';
import { Rig } from '../support/reliability/rig';
import { DOVECOT, skipFileUnless } from '../support/required-program';

skipFileUnless(DOVECOT);

/**
 * The mail server refuses for 30 s: first 15 s of temporary refusals (421 at the greeting, 451 at
 * DATA, as an overloaded server answers), then 15 s of connection refused (the host's server is down).
 * Team mail and email replies must be retried after it, each sent exactly once; nothing may land in
 * the dead-letter queue. Portal replies go over HTTP and are not held up.
 */

jest.setTimeout(120_000);

let rig: Rig | undefined;

afterAll(async () => {
  await rig?.destroy();
});

test('SMTP refusing for 30 s: sends retried later, nothing lost, nothing doubled', async () => {
  const plan = planComplaints(45, seededRandom(8003), 'SMT', [
    { channel: 'email', weight: 2 },
    { channel: 'perkebbas', weight: 1 },
    { channel: 'call-center', weight: 1 },
  ]);
  rig = await Rig.start({ label: 'outage-smtp', channels: ['email', 'perkebbas', 'call-center'], smtpGate: true });
  rig.startService();
  await rig.current!.ready;

  const feeding = rig.feedAll(plan, 6_000);
  await sleep(1_000);
  // The gate is shut while the server still refuses every message: a connection cut between the server
  // taking a message and its "250" reaching us is a delivery no SMTP client can know about (RFC 1047),
  // and would be judged a double that no sender can avoid. Crash windows are judged in the crash test.
  rig.sink.refuseFor(16_000);
  await sleep(15_000);
  await rig.gate!.shut();
  const receivedBeforeOutage = rig.sink.received.length;
  await sleep(15_000);
  await rig.gate!.open();
  const reopenedAt = Date.now();
  await feeding;

  const verdict = await settleAndJudge(rig, 60_000);
  process.stdout.write(`\nSMTP refusing 30 s (${rig.sink.refused} refusals): ${verdict.summary}\n`);
  expect(verdict.violations).toEqual([]);
  expect(verdict.tally.tickets).toBe(45);
  expect(rig.sink.refused).toBeGreaterThan(0);
  // Most mail was held back by the outage and went out after it.
  expect(rig.sink.received.filter((m) => m.at >= reopenedAt).length).toBeGreaterThan(receivedBeforeOutage);
});
