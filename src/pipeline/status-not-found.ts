import { subjectKeysOf } from '../domain/data-subject';
import { validateComplaint } from '../domain/complaint';
import { PermanentError, TransientError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { NotSentError } from '../outbound/message';
import { RESTRICTED_REASON } from '../privacy/restriction-check';
import { effectKey, type Store } from '../store/store';
import type { EffectJob } from './queues';
import type { NotFoundPlan, StatusPlans } from './status-plans';

/**
 * Performs the `status-not-found` effect once, like any effect (begin, send, complete under a lease), but
 * without a ticket: its record is owned by the message (statusNotFoundOwner) and the answer's address is read
 * from the message's intake entry, which stays pending until the answer is done.
 */
export class StatusNotFound {
  constructor(private readonly deps: { store: Store; log: Logger; leaseMs: number; plans: StatusPlans }) {}

  async perform(job: EffectJob): Promise<string> {
    const { store, leaseMs } = this.deps;
    const { ref, refChannel } = job;
    if (!ref || !refChannel) throw new PermanentError('a "not found" status answer needs its message');
    const key = effectKey(job.ticketId, 'status-not-found');
    const state = await store.beginEffect(key, job.ticketId, 'status-not-found', leaseMs);
    if (state === 'busy')
      throw new TransientError('a "not found" status answer is being sent by another attempt', leaseMs / 4);
    if (state === 'done') {
      await store.markIntakeDone(refChannel, ref);
      return 'status-not-found: already done';
    }
    let plan: NotFoundPlan;
    try {
      plan = await this.plan(job.ticketId, refChannel, ref);
    } catch (error) {
      await store.releaseEffect(key);
      throw error;
    }
    const detail = 'skip' in plan ? `skipped: ${plan.skip}` : await this.send(key, plan);
    await store.completeEffect(key, detail);
    await store.markIntakeDone(refChannel, ref);
    this.deps.log.info({ effect: 'status-not-found', detail }, 'effect done');
    return `status-not-found: ${detail}`;
  }

  private async plan(owner: string, channel: EffectJob['refChannel'] & string, ref: string): Promise<NotFoundPlan> {
    const payload = await this.deps.store.getIntakePayload(channel, ref);
    if (payload === undefined) return { skip: 'the message is no longer held' };
    const checked = validateComplaint(JSON.parse(payload) as unknown);
    if (!checked.ok) return { skip: `the message is not valid: ${checked.reason}` };
    const complaint = checked.complaint;
    // A citizen who restricted processing (UU PDP) gets nothing automatic.
    const keys = subjectKeysOf({ channel: complaint.channel, complainant: complaint.complainant, ticketNumber: '' });
    if ((await this.deps.store.findRestrictions(keys)).length > 0) return { skip: RESTRICTED_REASON };
    return this.deps.plans.notFound(complaint, owner);
  }

  /** Sends under the lease, renewed while the transport works (a slow send is no crash). */
  private async send(key: string, plan: Extract<NotFoundPlan, { send: unknown }>): Promise<string> {
    const { store, leaseMs } = this.deps;
    const heartbeat = setInterval(() => void store.renewEffect(key).catch(() => undefined), leaseMs / 3);
    try {
      return await plan.transport.deliver(plan.send);
    } catch (error) {
      if (error instanceof NotSentError) return `not sent: ${error.reason}`;
      await store.releaseEffect(key);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
