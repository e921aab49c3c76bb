import { FEED_CHANNELS, planComplaints, seededRandom, type FedComplaint, type MixEntry } from './complaints';
import type { PiiFinding } from './pii-scan';
import { Rig, type Tally } from './rig';
import { violationsOf } from './verdict';

/**
 * The crash run: feeds N complaints across every channel while SIGKILLing `aduan start` at random
 * moments (seeded) and restarting it, then waits for the service to finish and counts. Used by
 * bench/crash-test.ts (the full run) and tests/reliability/crash.test.ts (the short form in CI).
 */

export interface CrashRunOptions {
  complaints: number;
  kills: number;
  seed: number;
  /** How long feeding takes. */
  feedMs: number;
  /** Each service run lives this long (uniformly random) before it is killed. */
  uptimeMs: [number, number];
  /** How long the service stays dead before the restart (uniformly random). */
  downtimeMs: [number, number];
  /** After the last restart: how long to wait for every complaint to be done. */
  settleTimeoutMs: number;
  mix?: MixEntry[];
  label?: string;
  keep?: boolean;
  progress?: (line: string) => void;
}

export interface CrashRunResult {
  seed: number;
  kills: number;
  killTimesMs: number[];
  restarts: number;
  quiescent: boolean;
  elapsedMs: number;
  feedMs: number;
  settleMs: number;
  tally: Tally;
  pii: PiiFinding[];
  violations: string[];
  logBytes: number;
  root: string;
}

export async function runCrashTest(options: CrashRunOptions): Promise<CrashRunResult> {
  const random = seededRandom(options.seed);
  const say = options.progress ?? (() => undefined);
  const runTag = `S${options.seed.toString(36).toUpperCase()}`;
  const plan = planComplaints(options.complaints, random, runTag, options.mix);
  const channels = [...new Set(plan.map((c) => c.channel))];
  const rig = await Rig.start({ label: options.label ?? 'crash', channels, ...(options.keep ? { keep: true } : {}) });
  const started = Date.now();
  const killTimesMs: number[] = [];
  try {
    rig.startService();

    let feedMs = 0;
    const feeding = rig.feedAll(plan, options.feedMs).then(() => {
      feedMs = Date.now() - started;
    });

    // Kill at random moments, restart after a random pause: during the feed and after it.
    const between = (range: [number, number]) => range[0] + random() * (range[1] - range[0]);
    for (let k = 1; k <= options.kills; k++) {
      await new Promise((r) => setTimeout(r, between(options.uptimeMs)));
      await rig.kill();
      killTimesMs.push(Date.now() - started);
      say(
        `kill ${k}/${options.kills} at ${((Date.now() - started) / 1000).toFixed(1)} s; fed ${rig.fed.length}/${plan.length}; ${describe(rig.progress())}`,
      );
      await new Promise((r) => setTimeout(r, between(options.downtimeMs)));
      rig.startService();
    }
    await feeding;
    say(
      `fed ${rig.fed.length} complaints in ${(feedMs / 1000).toFixed(1)} s; last kill at ${((killTimesMs.at(-1) ?? 0) / 1000).toFixed(1)} s; waiting for the service to finish`,
    );
    await rig.current?.ready.catch(() => undefined);

    const settleStarted = Date.now();
    let lastReport = 0;
    const quiescent = await rig.waitQuiescent(options.settleTimeoutMs, (p) => {
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        say(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${describe(p)}`);
      }
    });
    const settleMs = Date.now() - settleStarted;
    const tally = await rig.tally();
    const stopped = await rig.stopService();
    const pii = rig.scanLogs();

    const violations = [
      ...(quiescent ? [] : [`not done after ${options.settleTimeoutMs / 1000} s: ${describe(rig.progress())}`]),
      ...(killTimesMs.length < options.kills ? [`only ${killTimesMs.length} kills`] : []),
      ...(stopped && stopped.code !== 0
        ? [`the last run did not stop cleanly on SIGTERM (code ${stopped.code}, signal ${stopped.signal})`]
        : []),
      ...violationsOf(tally, pii, { crashes: true }),
    ];
    return {
      seed: options.seed,
      kills: killTimesMs.length,
      killTimesMs,
      restarts: rig.runs.length - 1,
      quiescent,
      elapsedMs: Date.now() - started,
      feedMs,
      settleMs,
      tally,
      pii,
      violations,
      logBytes: rig.log.length,
      root: rig.root,
    };
  } finally {
    await rig.destroy();
  }
}

function describe(p: { tickets: number; pendingIntake: number; unfinished: number; matched: number }): string {
  return `${p.tickets} tickets, ${p.matched} complaints matched, ${p.pendingIntake} pending intake, ${p.unfinished} tickets unfinished`;
}

/** The table the script prints. */
export function formatResult(result: CrashRunResult, fedPlan?: FedComplaint[]): string {
  const t = result.tally;
  void fedPlan;
  const rows: Array<[string, string]> = [
    ...FEED_CHANNELS.filter((c) => t.fed[c] > 0).map((c): [string, string] => [`fed: ${c}`, String(t.fed[c])]),
    ['fed: total', String(t.fedTotal)],
    ['tickets', String(t.tickets)],
    ['initial responses (distinct / expected)', `${t.acks.distinct} / ${t.acks.expected}`],
    ['initial responses skipped (call center, no gateway)', `${t.skippedAcks.recorded} / ${t.skippedAcks.expected}`],
    ['team mails (distinct / expected)', `${t.teamMails.distinct} / ${t.fedTotal}`],
    ['kills (SIGKILL) / restarts', `${result.kills} / ${result.restarts}`],
    ['duplicates (doubled complaints)', String(t.doubled.length)],
    ['lost', String(t.lost.length)],
    [
      'repeats in the crash window (raw − distinct)',
      `${t.repeats}${t.repeatIds.length ? ` (${t.repeatIds.slice(0, 6).join(', ')}${t.repeatIds.length > 6 ? ', …' : ''})` : ''}`,
    ],
    ['repeats outside the crash window', String(t.repeatsOutsideCrashWindow.length)],
    [
      'other violations',
      String(
        result.violations.length -
          t.lost.length -
          t.doubled.length -
          t.repeatsOutsideCrashWindow.length -
          result.pii.length,
      ),
    ],
    ['admin alerts', String(t.alerts)],
    ['dead-letter jobs', String(t.deadLetters)],
    [
      'personal data found in logs',
      `${result.pii.length} (in ${(result.logBytes / 1024 / 1024).toFixed(1)} MB of service output)`,
    ],
    [
      'elapsed',
      `${(result.elapsedMs / 1000).toFixed(1)} s (feed ${(result.feedMs / 1000).toFixed(1)} s; done ${(result.settleMs / 1000).toFixed(1)} s after the feed and the last kill)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
