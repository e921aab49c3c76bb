import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import type { Store } from '../store/store';
import { sweepFailedIntoDeadLetter } from './dead-letter';
import { effectJobId, FIRST_EFFECTS, intakeJobId, type EffectJob, type PipelineQueues } from './queues';

/** Lost work older than a week is an incident for a person (the DLQ and the logs), not for a timer. */
const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60_000;

/**
 * The store is the durable record; Redis is the work distributor. If Redis loses jobs (restart
 * without persistence, flush), this puts back whatever the store says is unfinished. Job ids are
 * deterministic, so re-adding a job that still exists changes nothing.
 */
export class Reconciler {
  private repeating: { stop(): void } | undefined;
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
      await this.queues.intake.add(
        'complaint',
        { complaint: JSON.parse(item.payload) },
        { jobId: intakeJobId(item.channel, item.sourceId) },
      );
    }
    // Only recent tickets: the scan stays small however many tickets the store holds.
    const since = new Date(now - RECONCILE_WINDOW_MS).toISOString();
    const missing = await this.store.listTicketsMissingEffects([...FIRST_EFFECTS], olderThan, 1000, since);
    const effects = await this.requeueFirstResponses(missing);
    // The start-up sweep covered everything older; each pass looks back one interval more, for overlap.
    await sweepFailedIntoDeadLetter(this.queues, this.log, this.lastPassAt - this.options.intervalMs);
    this.lastPassAt = passStartedAt;
    if (pending.length || effects)
      this.log.info({ intake: pending.length, effects }, 'reconciler re-queued unfinished work');
    return { intake: pending.length, effects };
  }

  /**
   * The whole first response, always: what is done is skipped, and a partial job under the same id
   * would keep the full one out.
   */
  private async requeueFirstResponses(tickets: Array<{ ticketId: string }>): Promise<number> {
    const jobs: EffectJob[] = tickets.map((t) => ({ ticketId: t.ticketId, effects: [...FIRST_EFFECTS] }));
    if (jobs.length)
      await this.queues.effects.addBulk(
        jobs.map((data) => ({ name: 'first-response', data, opts: { jobId: effectJobId(data) } })),
      );
    return jobs.length;
  }

  start(): void {
    this.repeating ??= repeatEvery(
      this.options.intervalMs,
      () => this.runOnce(),
      (error) => this.log.warn({ err: error }, 'reconcile failed; will try again'),
    );
  }

  stop(): void {
    this.repeating?.stop();
    this.repeating = undefined;
  }
}
