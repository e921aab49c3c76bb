import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import { sweepFailedIntoDeadLetter } from './dead-letter';
import { effectJobId, FIRST_EFFECTS, intakeJobId, type EffectJob, type EffectKind, type PipelineQueues } from './queues';

/**
 * The store is the durable record; Redis is the work distributor. If Redis loses jobs (restart
 * without persistence, flush), this puts back whatever the store says is unfinished. Job ids are
 * deterministic, so re-adding a job that still exists changes nothing.
 */
/** Lost work older than a week is an incident for a person (the DLQ and the logs), not for a timer. */
const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60_000;

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
    const jobs: EffectJob[] = missing.map((m) => ({ ticketId: m.ticketId, effects: m.missing as EffectKind[] }));
    if (jobs.length) await this.queues.effects.addBulk(jobs.map((data) => ({ name: 'first-response', data, opts: { jobId: effectJobId(data) } })));
    // The start-up sweep covered everything older; each pass looks back one interval more, for overlap.
    await sweepFailedIntoDeadLetter(this.queues, this.log, this.lastPassAt - this.options.intervalMs);
    this.lastPassAt = passStartedAt;
    if (pending.length || jobs.length) this.log.info({ intake: pending.length, effects: jobs.length }, 'reconciler re-queued unfinished work');
    return { intake: pending.length, effects: jobs.length };
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
