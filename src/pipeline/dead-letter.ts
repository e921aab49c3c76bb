import { Job, type Queue } from 'bullmq';
import type { ChannelKey } from '../domain/channels';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import {
  QUEUE,
  type DeadLetterJob,
  type EffectJob,
  type IntakeJob,
  type PipelineQueues,
  type WorkQueueName,
} from './queues';

/** A job is dead when it failed permanently or used up its attempts. */
export function isFinalFailure(job: Job, error: Error): boolean {
  if (error.name === 'UnrecoverableError') return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

const SWEEP_PAGE = 500;
const SWEEP_LIMIT = 5000;

export function deadLetterId(queue: WorkQueueName, jobId: string): string {
  return `${queue}-${jobId}`;
}

/** The store's intake entry behind a job: an intake job's message, or the message an effect job forwards. */
export function intakeEntryOf(
  queue: WorkQueueName,
  data: IntakeJob | EffectJob,
): { channel: ChannelKey; sourceId: string } | undefined {
  if (queue === QUEUE.effects) {
    const { ref, refChannel } = data as EffectJob;
    return ref !== undefined && refChannel ? { channel: refChannel, sourceId: ref } : undefined;
  }
  const job = data as IntakeJob;
  // A reference (current jobs), or the record itself (jobs queued by earlier versions).
  const named =
    job.channel !== undefined ? job : (job.complaint as { channel?: unknown; sourceId?: unknown } | undefined);
  return typeof named?.channel === 'string' && typeof named.sourceId === 'string'
    ? { channel: named.channel as ChannelKey, sourceId: named.sourceId }
    : undefined;
}

/**
 * Copies a finally failed job into the dead-letter queue (idempotent: the DLQ job id is derived) and marks
 * its intake entry dead in the store, so the reconciler stops putting it back every pass.
 */
export async function sendToDeadLetter(
  deadLetter: Queue<DeadLetterJob>,
  store: Pick<Store, 'markIntakeDead'>,
  queue: WorkQueueName,
  job: Job,
): Promise<void> {
  await markDead(store, queue, job);
  await deadLetter.add(
    'dead',
    {
      queue,
      name: job.name,
      jobId: job.id!,
      data: job.data as IntakeJob | EffectJob,
      failedReason: job.failedReason ?? 'unknown',
      attemptsMade: job.attemptsMade,
      failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
    },
    { jobId: deadLetterId(queue, job.id!) },
  );
}

async function markDead(store: Pick<Store, 'markIntakeDead'>, queue: WorkQueueName, job: Job): Promise<void> {
  const entry = intakeEntryOf(queue, job.data as IntakeJob | EffectJob);
  if (entry) await store.markIntakeDead(entry.channel, entry.sourceId);
}

/**
 * A job may have failed finally while the process died (or Redis blinked) before its copy reached the
 * DLQ. BullMQ puts a job in the failed set only when it will not retry it, so every job there is dead:
 * this makes the DLQ agree with the failed sets. Runs at start-up and with every reconciler pass.
 */
export async function sweepFailedIntoDeadLetter(
  queues: PipelineQueues,
  store: Pick<Store, 'markIntakeDead'>,
  log: Logger,
  sinceMs = 0,
): Promise<number> {
  let moved = 0;
  for (const name of [QUEUE.intake, QUEUE.effects] as const) {
    // Newest first, page by page, down to `sinceMs`: a periodic pass reads only what failed since the last.
    for (let start = 0, older = false; !older && start < SWEEP_LIMIT; start += SWEEP_PAGE) {
      const page = await queues[name].getFailed(start, start + SWEEP_PAGE - 1);
      for (const job of page) {
        if ((job.finishedOn ?? 0) < sinceMs) {
          older = true;
          break;
        }
        // Marked again even when its copy is there: the process may have died between the two.
        if (await queues.deadLetter.getJob(deadLetterId(name, job.id!))) {
          await markDead(store, name, job);
          continue;
        }
        await sendToDeadLetter(queues.deadLetter, store, name, job);
        moved += 1;
      }
      if (page.length < SWEEP_PAGE) break;
    }
  }
  if (moved) log.warn({ moved }, 'failed jobs copied to the dead-letter queue');
  return moved;
}

export async function listDeadLetters(queues: PipelineQueues): Promise<Array<Job<DeadLetterJob>>> {
  return queues.deadLetter.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1, true);
}

/**
 * Puts dead jobs back on their queue under their original id (removing the failed original first, so
 * BullMQ does not ignore the id), their intake entries pending again (so the reconciler looks after them
 * should Redis lose the job). `all` also revives the messages the store holds as dead whose dead-letter
 * copy Redis lost: the service's next reconciler pass queues them. Re-running is safe: the store decides
 * what is new.
 */
export async function replayDeadLetters(
  queues: PipelineQueues,
  store: Pick<Store, 'reviveIntake' | 'listDeadIntake'>,
  which: { id?: string; all?: boolean },
): Promise<{ replayed: string[]; revived: number }> {
  const dead = which.id
    ? [await queues.deadLetter.getJob(which.id)].filter((j): j is Job<DeadLetterJob> => Boolean(j))
    : await listDeadLetters(queues);
  if (which.id && dead.length === 0) throw new Error(`no dead-letter entry with id ${which.id}`);
  const replayed: string[] = [];
  for (const entry of dead) {
    const { queue, name, jobId, data } = entry.data;
    const origin = queues[queue] as Queue;
    const original = await Job.fromId(origin, jobId);
    // Already back on its queue and running (an earlier replay, or the reconciler): leave it be.
    if (original && !(await original.isFailed())) {
      await entry.remove();
      continue;
    }
    if (original) await original.remove();
    const message = intakeEntryOf(queue, data);
    if (message) await store.reviveIntake(message.channel, message.sourceId);
    await origin.add(name, data, { jobId });
    await entry.remove();
    replayed.push(entry.id!);
  }
  let revived = 0;
  for (let page = which.all ? await store.listDeadIntake(REVIVE_PAGE) : []; page.length;) {
    for (const message of page) await store.reviveIntake(message.channel, message.sourceId);
    revived += page.length;
    page = page.length < REVIVE_PAGE ? [] : await store.listDeadIntake(REVIVE_PAGE);
  }
  return { replayed, revived };
}

const REVIVE_PAGE = 1000;
