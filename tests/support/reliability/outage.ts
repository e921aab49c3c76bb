import { violationsOf } from './verdict';
import type { Rig, Tally } from './rig';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Verdict {
  tally: Tally;
  violations: string[];
  /** One line of figures for the test output. */
  summary: string;
}

/**
 * Ends an outage run: waits until the store says every complaint is done, counts, checks the service
 * lived through the outage (one run, never restarted) and stops on SIGTERM, scans its logs, and lists
 * every violation (see verdict.ts; no repeats allowed: nothing was killed).
 */
export async function settleAndJudge(rig: Rig, timeoutMs: number): Promise<Verdict> {
  const started = Date.now();
  const quiescent = await rig.waitQuiescent(timeoutMs);
  const settleMs = Date.now() - started;
  const alive = rig.current !== undefined && rig.runs.length === 1;
  const tally = await rig.tally();
  const stopped = await rig.stopService();
  const pii = rig.scanLogs();
  const violations = [
    ...(quiescent ? [] : [`not done after ${timeoutMs / 1000} s: ${JSON.stringify(rig.progress())}`]),
    ...(alive ? [] : ['the service process exited during the outage']),
    ...(stopped && stopped.code !== 0
      ? [`the service did not stop cleanly on SIGTERM (code ${stopped.code}, signal ${stopped.signal})`]
      : []),
    ...violationsOf(tally, pii, { crashes: false }),
  ];
  const t = tally;
  const summary =
    `fed ${t.fedTotal} (${Object.entries(t.fed)
      .filter(([, n]) => n > 0)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}); tickets ${t.tickets}; ` +
    `initial responses ${t.acks.distinct}/${t.acks.expected} (raw ${t.acks.raw}), skipped ${t.skippedAcks.recorded}/${t.skippedAcks.expected}; ` +
    `team mails ${t.teamMails.distinct} (raw ${t.teamMails.raw}); lost ${t.lost.length}; doubled ${t.doubled.length}; repeats ${t.repeats}; ` +
    `personal data in logs ${pii.length}; reconciler re-queued work ${rig.log.split('reconciler re-queued unfinished work').length - 1}×; ` +
    `finished ${(settleMs / 1000).toFixed(1)} s after the feed`;
  return { tally, violations, summary };
}
