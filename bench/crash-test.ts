/**
 * Crash test: runs `aduan start` as a child process (mode live) against the real Redis (a unique
 * prefix), a Dovecot fed by IMAP APPEND, a real SMTP server, the fake Graph API (Messenger and
 * Instagram), the fake Perkebbas portal and a call-center log folder; feeds N complaints across the
 * channels while SIGKILLing the service at random (seeded) moments and restarting it; then waits until
 * the service is done and checks: one ticket, one initial response (where the channel replies) and one
 * team mail per complaint, nothing lost, nothing doubled, no NIK/KK or phone number in the logs.
 *
 *   npm run build && npm run crash-test -- [--complaints 1000] [--kills 8] [--seed N] [--feed-seconds 60] [--keep]
 *
 * Prints the seed (rerun with --seed to repeat the plan) and a table; exits 1 on any violation.
 * Needs root (Dovecot), /usr/sbin/dovecot (apt-get install dovecot-imapd) and Redis (REDIS_URL).
 */
import { formatResult, runCrashTest } from '../tests/support/reliability/crash-run';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const complaints = Number(option('complaints') ?? 1000);
  const kills = Number(option('kills') ?? 8);
  const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const feedMs = Number(option('feed-seconds') ?? Math.max(20, complaints / 16)) * 1000;
  const keep = process.argv.includes('--keep');
  if (
    !Number.isInteger(complaints) ||
    complaints < 1 ||
    !Number.isInteger(kills) ||
    kills < 0 ||
    !Number.isFinite(seed)
  ) {
    console.error('usage: crash-test [--complaints N] [--kills K] [--seed S] [--feed-seconds T] [--keep]');
    return 2;
  }
  // Spread the kills over the feed and a little beyond it, so some land while the backlog drains.
  const meanUptime = (feedMs * 1.2) / Math.max(1, kills);
  console.log(
    `crash test: ${complaints} complaints over ${(feedMs / 1000).toFixed(0)} s, ${kills} kills, seed ${seed}`,
  );
  const result = await runCrashTest({
    complaints,
    kills,
    seed,
    feedMs,
    uptimeMs: [Math.max(1500, meanUptime * 0.5), Math.max(2500, meanUptime * 1.5)],
    downtimeMs: [0, 1500],
    settleTimeoutMs: 300_000,
    label: 'crash-bench',
    keep,
    progress: (line) => console.log(line),
  });
  console.log('');
  console.log(formatResult(result));
  console.log(
    `seed ${result.seed}; kills at ${result.killTimesMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || 'none'}${keep ? `; run folder ${result.root}` : ''}`,
  );
  if (result.violations.length) {
    console.log(`\n${result.violations.length} violation(s):`);
    for (const v of result.violations.slice(0, 50)) console.log(`  ${v}`);
    if (result.violations.length > 50) console.log(`  … and ${result.violations.length - 50} more`);
    return 1;
  }
  console.log(
    '\nOK: every complaint has exactly one ticket, one initial response where its channel replies, and one team mail.',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
