import { formatResult, runCrashTest } from '../support/reliability/crash-run';
import { DOVECOT, skipFileUnless } from '../support/required-program';

skipFileUnless(DOVECOT);

/**
 * The short form of `npm run crash-test` (bench/crash-test.ts): `aduan start` as a child process in
 * live mode against real Redis, Dovecot, an SMTP server, the fake Graph API, the fake portal and a
 * call-center folder; 180 complaints across the channels, SIGKILLed at five random moments (the seed is
 * printed; ADUAN_CRASH_SEED repeats a run) and restarted each time. Every complaint must end with
 * exactly one ticket, one initial response where its channel replies, one team mail; the logs must hold
 * no NIK/KK or phone number. After the last kill the service needs about a minute: a job that was
 * active waits out its BullMQ lock and stalled check (30 s each), an effect that was being sent waits
 * out its 60-second lease; so the kills come early and close together.
 */

jest.setTimeout(170_000);

test('SIGKILLed five times while 180 complaints come in over six channels (WhatsApp webhooks redelivered until answered 200): nothing lost, nothing doubled, nothing personal logged', async () => {
  const seed = Number(process.env.ADUAN_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const lines: string[] = [];
  const result = await runCrashTest({
    complaints: 180,
    kills: 5,
    seed,
    feedMs: 12_000,
    // From the spawn: a kill may also land while the service is still starting (about 2 s).
    uptimeMs: [1_500, 3_200],
    downtimeMs: [0, 500],
    settleTimeoutMs: 110_000,
    label: 'crash-ci',
    progress: (line) => lines.push(line),
  });
  const report = `seed ${seed}\n${lines.join('\n')}\n${formatResult(result)}`;
  // Shown with the run (and in a failure): the figures behind the assertions.
  process.stdout.write(`\n${report}\n`);
  expect({ seed, violations: result.violations }).toEqual({ seed, violations: [] });
  expect(result.kills).toBe(5);
  expect(result.tally.fedTotal).toBe(180);
  expect(result.tally.tickets).toBe(180);
  expect(result.tally.teamMails.distinct).toBe(180);
  expect(result.tally.acks.distinct).toBe(result.tally.acks.expected);
  expect(result.tally.skippedAcks.recorded).toBe(result.tally.skippedAcks.expected);
});
