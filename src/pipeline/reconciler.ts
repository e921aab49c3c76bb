import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import type { IntakePosition, Store } from '../store/store';
import { sweepFailedIntoDeadLetter } from './dead-letter';
import { intakeJob } from './intake-job';
import { effectJobId, FIRST_EFFECTS, intakeJobId, type EffectJob, type PipelineQueues } from './queues';

/** Lost work older than a week is an incident for a person (the DLQ and the logs), not for a timer. */
const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60_000;
/** Pending intake entries read (and re-queued in one Redis round trip) at a time. */
const INTAKE_PAGE = 1000;
/** Pages per pass: a huge backlog is worked through over several passes, each starting where the last stopped. */
const INTAKE_PAGES_PER_PASS = 20;

/**
 * The store is the durable record; Redis is the work distributor. If Redis loses jobs (restart
 * without persistence, flush), this puts back whatever the store says is unfinished. Job ids are
 * deterministic, so re-adding a job that still exists changes nothing. Entries whose job was
 * dead-lettered are `dead` in the store and not pending, so they are not re-run every pass; the
 * pending ones are read page by page, so however many there are, newer work is reached.
 */
export class Reconciler {
  private repeating: { stop(): void } | undefined;
  private lastPassAt = Date.now();
  /** Where the last pass stopped in a backlog larger than one pass; undefined: start from the oldest. */
  private intakePosition: IntakePosition | undefined;

  constructor(
    private readonly store: Store,
    private readonly queues: PipelineQueues,
    private readonly log: Logger,
    private readonly options: { intervalMs: number; afterMs: number },
  ) {}

  async runOnce(now = Date.now()): Promise<{ intake: number; effects: number }> {
    const passStartedAt = Date.now();
    const olderThan = new Date(now - this.options.afterMs).toISOString();
    const intake = await this.requeuePendingIntake(olderThan);
    // Only recent tickets: the scan stays small however many tickets the store holds.
    const since = new Date(now - RECONCILE_WINDOW_MS).toISOString();
    const missing = await this.store.listTicketsMissingEffects([...FIRST_EFFECTS], olderThan, 1000, since);
    const effects = await this.requeueFirstResponses(missing);
    // The start-up sweep covered everything older; each pass looks back one interval more, for overlap.
    await sweepFailedIntoDeadLetter(this.queues, this.store, this.log, this.lastPassAt - this.options.intervalMs);
    this.lastPassAt = passStartedAt;
    if (intake || effects) this.log.info({ intake, effects }, 'reconciler re-queued unfinished work');
    return { intake, effects };
  }

  private async requeuePendingIntake(olderThan: string): Promise<number> {
    let requeued = 0;
    for (let page = 0; page < INTAKE_PAGES_PER_PASS; page++) {
      const pending = await this.store.listPendingIntake(olderThan, INTAKE_PAGE, this.intakePosition);
      if (pending.length)
        await this.queues.intake.addBulk(
          pending.map((item) => ({
            name: 'complaint',
            data: intakeJob(item.channel, item.sourceId),
            opts: { jobId: intakeJobId(item.channel, item.sourceId) },
          })),
        );
      requeued += pending.length;
      const last = pending.at(-1);
      this.intakePosition =
        pending.length < INTAKE_PAGE || !last
          ? undefined
          : { acceptedAt: last.acceptedAt, channel: last.channel, sourceId: last.sourceId };
      if (!this.intakePosition) break;
    }
    return requeued;
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
