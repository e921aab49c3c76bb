import { planComplaints, seededRandom } from '../support/reliability/complaints';
import { settleAndJudge, sleep } from '../support/reliability/outage';
import { Rig } from '../support/reliability/rig';
import { DOVECOT, skipFileUnless } from '../support/required-program';

skipFileUnless(DOVECOT);

/**
 * The mail server goes away twice while citizens' mail keeps arriving (the APPENDs wait for it to come
 * back). tests/integration/email covers the IMAP reconnect itself; this runs `aduan start` as a child
 * process and holds it to the same exactly-once assertions as the crash test: one ticket, one reply,
 * one team mail per mail, no personal data in its logs.
 */

jest.setTimeout(90_000);

let rig: Rig | undefined;

afterAll(async () => {
  await rig?.destroy();
});

test('Dovecot stopped twice mid-run: every mail read once, answered once, routed once', async () => {
  const plan = planComplaints(40, seededRandom(8002), 'DOV', [{ channel: 'email', weight: 1 }]);
  rig = await Rig.start({ label: 'outage-dovecot', channels: ['email'] });
  rig.startService();
  await rig.current!.ready;

  const feeding = rig.feedAll(plan, 8_000);
  await sleep(2_000);
  await rig.dovecot!.stop();
  await sleep(2_500);
  await rig.dovecot!.restart();
  await sleep(2_000);
  await rig.dovecot!.restart();
  await feeding;

  const verdict = await settleAndJudge(rig, 45_000);
  process.stdout.write(`\nDovecot outages (2.5 s, then a restart): ${verdict.summary}\n`);
  expect(verdict.violations).toEqual([]);
  expect(verdict.tally.tickets).toBe(40);
});
