import type { Queue } from 'bullmq';
import type { ComplaintSink, ImportSummary, SubmitOrigin, SubmitResult } from '../channels/complaint-sink';
import type { ChannelKey } from '../domain/channels';
import { systemClock, type Clock } from '../domain/clock';
import { validateComplaint, withPlausibleReceivedAt } from '../domain/complaint';
import { ageStart, isHistorical } from '../domain/history-age';
import type { OfficeCalendar } from '../domain/sla';
import { parseTarget } from '../domain/target';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { PipelineMetrics } from './metrics';
import type { ImportSummaries } from './import-summary';
import type { IntakeStage } from './intake-stage';
import { intakeJobId, type IntakeJob } from './queues';
import { intakeJob } from './intake-job';

/** What the sink needs to take in history on a source's first read. */
export interface IngestHistory {
  calendar: OfficeCalendar;
  /** The history age of a channel, in working days ("2d"). */
  olderThan(channel: ChannelKey): string;
  intake: Pick<IntakeStage, 'importHistorical'>;
  summaries: ImportSummaries;
}

/**
 * Validates at the boundary (invalid → quarantine with the reason), writes the complaint to the store's
 * inbox, then queues it. A channel may advance its cursor as soon as `submit` resolves: from then on
 * the complaint survives a crash of this process and a loss of Redis (the reconciler re-queues it).
 */
export class IngestSink implements ComplaintSink {
  constructor(
    private readonly store: Store,
    /** Only `add`: `aduan intake` runs the intake step in place of queueing it. */
    private readonly intake: Pick<Queue<IntakeJob>, 'add'>,
    private readonly log: Logger,
    private readonly metrics?: Pick<PipelineMetrics, 'quarantined'>,
    private readonly history?: IngestHistory,
    private readonly clock: Clock = systemClock,
  ) {}

  async submit(candidate: unknown, origin: SubmitOrigin): Promise<SubmitResult> {
    const outcome = validateComplaint(candidate);
    if (!outcome.ok) {
      const sourceId = (candidate as { sourceId?: unknown })?.sourceId;
      const recorded = await this.store.quarantine({
        channel: origin.channel,
        ...(typeof sourceId === 'string' ? { sourceId } : {}),
        reason: outcome.reason,
        payload: safeJson(candidate),
      });
      // A poller meets the same bad record on every pass: it is recorded, logged and counted once.
      if (recorded.repeated)
        this.log.debug({ channel: origin.channel, hint: origin.hint }, 'complaint already quarantined');
      else {
        this.log.warn({ channel: origin.channel, hint: origin.hint, reason: outcome.reason }, 'complaint quarantined');
        this.metrics?.quarantined(origin.channel);
      }
      return {
        status: 'quarantined',
        reason: outcome.reason,
        ...(recorded.repeated ? { repeated: true as const } : {}),
      };
    }
    const now = this.clock.now();
    // Only this sink decides what is history: a channel's record never says so itself.
    const { historicalImport: _claimed, ...claimed } = outcome.complaint;
    const complaint = withPlausibleReceivedAt(claimed, now);
    if (complaint !== claimed)
      this.log.warn(
        { channel: origin.channel, hint: origin.hint, claimed: outcome.complaint.receivedAt },
        'implausible source time replaced by the time of receipt',
      );
    const { channel, sourceId } = complaint;
    // First read of a source: history is stored at once as a closed ticket (durable before the channel's
    // cursor moves), without the queue: no effect will ever run for it. Staff intake never says firstRead.
    // Age counts from the record's arrival at the office (ageStart), not from a date of an earlier step.
    const history = this.history;
    if (
      history &&
      origin.firstRead &&
      isHistorical(ageStart(complaint), now, parseTarget(history.olderThan(channel)), history.calendar)
    ) {
      const imported = await history.intake.importHistorical({ ...complaint, historicalImport: origin.firstRead });
      return imported.kind === 'ticket' && imported.created
        ? { status: 'queued', historical: true }
        : { status: 'duplicate' };
    }
    const state = await this.store.acceptIntake(channel, sourceId, JSON.stringify(complaint));
    // Seen before and still pending: queue again, the earlier attempt may have crashed before queueing
    // (the job id makes it a no-op while that job exists). Done: nothing is left to do.
    if (state !== 'done')
      await this.intake.add('complaint', intakeJob(channel, sourceId), { jobId: intakeJobId(channel, sourceId) });
    return state === 'new' ? { status: 'queued' } : { status: 'duplicate' };
  }

  async finishImport(importId: string, channel: string): Promise<ImportSummary | undefined> {
    if (!this.history) return undefined;
    return this.history.summaries.finish(importId, channel, this.history.olderThan(channel as ChannelKey));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 1_000_000) ?? String(value);
  } catch {
    return String(value);
  }
}
