import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import { sweepFailedIntoDeadLetter } from './dead-letter';
import { effectJobId, FIRST_EFFECTS, intakeJobId, type EffectJob, type PipelineQueues } from './queues';

/**
 * The store is the durable record; Redis is the work distributor. If Redis loses jobs (restart
 * without persistence, flush), this puts back whatever the store says is unfinished. Job ids are
 * deterministic, so re-adding a job that still exists changes nothing.
 */
/** Lost work older than a week is an incident for a person (the DLQ and the logs), not for a timer. */
const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60_000;
const TIMER_WINDOW_MS = 30 * 24 * 60 * 60_000;
const TIMER_BATCH = 10_000;

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private lastPassAt = Date.now();

  constructor(
    private readonly store: Store,
    private readonly queues: PipelineQueues,
    private readonly log: Logger,
    private readonly options: { intervalMs: number; afterMs: number },
  ) {}

  async runOnce(now = Date.now()): Promise<{ intake: number; effects: number }> {
    const passStartedAt = Date.now();
    const olderThan = new Date(now - this.options.afterMs).toISOString();
    const pending = await this.store.listPendingIntake(olderThan, 1000);
    for (const item of pending) {
      await this.queues.intake.add('complaint', { complaint: JSON.parse(item.payload) }, { jobId: intakeJobId(item.channel, item.sourceId) });
    }
    // Only recent tickets: the scan stays small however many tickets the store holds.
    const since = new Date(now - RECONCILE_WINDOW_MS).toISOString();
    const missing = await this.store.listTicketsMissingEffects([...FIRST_EFFECTS], olderThan, 1000, since);
    const effects = await this.requeueFirstResponses(missing);
    const timers = await this.requeueTimersIfRedisIsNew(now);
    // The start-up sweep covered everything older; each pass looks back one interval more, for overlap.
    await sweepFailedIntoDeadLetter(this.queues, this.log, this.lastPassAt - this.options.intervalMs);
    this.lastPassAt = passStartedAt;
    if (pending.length || effects || timers) this.log.info({ intake: pending.length, effects, timers }, 'reconciler re-queued unfinished work');
    return { intake: pending.length, effects };
  }

  /**
   * The whole first response, always: what is done is skipped, and a partial job under the same id
   * would keep the full one (which also schedules the SLA timers) out.
   */
  private async requeueFirstResponses(tickets: Array<{ ticketId: string }>): Promise<number> {
    const jobs: EffectJob[] = tickets.map((t) => ({ ticketId: t.ticketId, effects: [...FIRST_EFFECTS] }));
    if (jobs.length) await this.queues.effects.addBulk(jobs.map((data) => ({ name: 'first-response', data, opts: { jobId: effectJobId(data) } })));
    return jobs.length;
  }

  /**
   * On the first pass against a Redis that has not seen this deployment before (a fresh install, or a
   * Redis that restarted empty or was flushed, taking the delayed SLA timer jobs with it), open tickets
   * whose escalation has not happened get their first-response job again: its effects are done, so it
   * only schedules the timers anew. The marker is set only once that worked, so a failed pass retries.
   */
  private async requeueTimersIfRedisIsNew(now: number): Promise<number> {
    const client = await this.queues.effects.client;
    const marker = `${this.queues.effects.qualifiedName}:epoch`;
    if (await client.get(marker)) return 0;
    // Longer than any target (3 working days across a long holiday), unlike the one-week reconcile window.
    const since = new Date(now - TIMER_WINDOW_MS).toISOString();
    const open = await this.store.listTicketsMissingEffects(['escalate'], new Date(now).toISOString(), TIMER_BATCH, since);
    if (open.length === TIMER_BATCH) this.log.warn({ tickets: TIMER_BATCH }, 'more open tickets than one timer pass takes: only the oldest get their SLA timers back');
    const queued = await this.requeueFirstResponses(open);
    // Two processes may both see the marker missing: both re-queue, which job ids make harmless.
    if (open.length < TIMER_BATCH) await client.set(marker, new Date().toISOString());
    return queued;
  }

  start(): void {
    const tick = () => {
      this.runOnce()
        .catch((error: unknown) => this.log.warn({ err: error }, 'reconcile failed; will try again'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
