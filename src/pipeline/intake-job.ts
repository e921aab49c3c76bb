import type { Queue } from 'bullmq';
import type { ChannelKey } from '../domain/channels';
import type { Store } from '../store/store';
import type { IntakeJob } from './queues';

/**
 * Redis keeps job data in clear text (and in its RDB/AOF files): an intake job names the store's intake
 * entry (channel + source id), and the complaint, with its names, numbers and text, is read from the
 * store where it was durably written before the job was queued.
 */
export function intakeJob(channel: ChannelKey, sourceId: string): IntakeJob {
  return { channel, sourceId };
}

/**
 * The complaint a job is about: read from the store's intake entry, or carried by a job queued before
 * jobs carried references only. Undefined when the entry holds no copy any more (turned into a ticket
 * already, or anonymized): nothing is left to do.
 */
export async function complaintOfJob(job: IntakeJob, store: Pick<Store, 'getIntakePayload'>): Promise<unknown> {
  if (job.complaint !== undefined) return job.complaint;
  if (!job.channel || !job.sourceId) return job; // the intake stage quarantines it with the reason
  const payload = await store.getIntakePayload(job.channel, job.sourceId);
  return payload === undefined ? undefined : (JSON.parse(payload) as unknown);
}

/**
 * The intake "queue" of a one-shot command (`aduan intake`, `aduan intake --channel lapor`): the intake step
 * runs in place, for the record just written to the store — no workers, sweeps or schedulers of the service.
 */
export function inPlaceIntake(
  store: Pick<Store, 'getIntakePayload'>,
  intake: { process(candidate: unknown): Promise<unknown> },
): Pick<Queue<IntakeJob>, 'add'> {
  return {
    add: async (_name, job) => {
      const complaint = await complaintOfJob(job, store);
      if (complaint !== undefined) await intake.process(complaint);
      return undefined as never;
    },
  };
}
