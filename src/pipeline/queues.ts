import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { ChannelKey } from '../domain/channels';

/**
 * Two working queues and a dead-letter queue:
 *  - intake: validate, dedupe, store the ticket, classify, compute due time, pick the team (all local
 *    and deterministic, so one stage; nothing is lost by merging);
 *  - effects: each side effect (initial response, team delivery, follow-up forward) as its own job,
 *    so one failing transport never blocks or repeats another;
 *  - dead-letter: jobs that exhausted their attempts or failed permanently, for `aduan dlq`.
 */
export const QUEUE = { intake: 'intake', effects: 'effects', deadLetter: 'dead-letter' } as const;
export type WorkQueueName = typeof QUEUE.intake | typeof QUEUE.effects;

export interface IntakeJob {
  /** The channel's normalized record, validated again by the intake stage. */
  complaint: unknown;
}

export type EffectKind = 'respond' | 'route' | 'follow-up';
/** Team delivery first: the team must hear of a ticket even when the citizen's address bounces. */
export const FIRST_EFFECTS: readonly EffectKind[] = ['route', 'respond'];

/**
 * The side effects of one ticket event, performed in order, each guarded by its own effect record:
 * a retry or replay skips the ones already done. One job per event keeps Redis work per complaint low.
 */
export interface EffectJob {
  ticketId: string;
  effects: EffectKind[];
  /** For follow-ups: the source id of the citizen's new message, and its channel. */
  ref?: string;
  refChannel?: ChannelKey;
}

export interface DeadLetterJob {
  queue: WorkQueueName;
  name: string;
  jobId: string;
  data: IntakeJob | EffectJob;
  failedReason: string;
  attemptsMade: number;
  failedAt: string;
}

/** BullMQ job ids may not contain ':' nor be integers: a hash of the source identity is neither. */
export function hashId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function intakeJobId(channel: string, sourceId: string): string {
  return `in-${hashId(channel, sourceId)}`;
}

/** One id per ticket event, whatever subset of effects is still missing: re-adding never runs two at once. */
export function effectJobId(job: EffectJob): string {
  return job.ref === undefined ? `fx-${hashId(job.ticketId, 'first-response')}` : `fx-${hashId(job.ticketId, 'follow-up', job.ref)}`;
}

export interface PipelineQueues {
  intake: Queue<IntakeJob>;
  effects: Queue<EffectJob>;
  deadLetter: Queue<DeadLetterJob>;
  close(): Promise<void>;
}

export function workJobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'jittered' },
    // Completed jobs need not stay: the store dedupes, not the job id. Failed ones are kept for the DLQ.
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 50_000 },
  };
}

export function openQueues(connection: ConnectionOptions, prefix: string, attempts: number): PipelineQueues {
  const defaultJobOptions = workJobOptions(attempts);
  const intake = new Queue<IntakeJob>(QUEUE.intake, { connection, prefix, defaultJobOptions });
  const effects = new Queue<EffectJob>(QUEUE.effects, { connection, prefix, defaultJobOptions });
  const deadLetter = new Queue<DeadLetterJob>(QUEUE.deadLetter, { connection, prefix, defaultJobOptions: { removeOnComplete: true } });
  return {
    intake,
    effects,
    deadLetter,
    close: async () => {
      await Promise.all([intake.close(), effects.close(), deadLetter.close()]);
    },
  };
}
