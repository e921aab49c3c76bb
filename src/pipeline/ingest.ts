import type { Queue } from 'bullmq';
import type { ComplaintSink, SubmitResult } from '../channels/complaint-sink';
import { validateComplaint, withPlausibleReceivedAt } from '../domain/complaint';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { PipelineMetrics } from './metrics';
import { intakeJobId, type IntakeJob } from './queues';

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
  ) {}

  async submit(candidate: unknown, origin: { channel: string; hint?: string }): Promise<SubmitResult> {
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
    const complaint = withPlausibleReceivedAt(outcome.complaint, new Date());
    if (complaint !== outcome.complaint)
      this.log.warn(
        { channel: origin.channel, hint: origin.hint, claimed: outcome.complaint.receivedAt },
        'implausible source time replaced by the time of receipt',
      );
    const { channel, sourceId } = complaint;
    const state = await this.store.acceptIntake(channel, sourceId, JSON.stringify(complaint));
    // Seen before and still pending: queue again, the earlier attempt may have crashed before queueing
    // (the job id makes it a no-op while that job exists). Done: nothing is left to do.
    if (state !== 'done') await this.intake.add('complaint', { complaint }, { jobId: intakeJobId(channel, sourceId) });
    return state === 'new' ? { status: 'queued' } : { status: 'duplicate' };
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 1_000_000) ?? String(value);
  } catch {
    return String(value);
  }
}
