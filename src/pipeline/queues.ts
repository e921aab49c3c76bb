import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { ChannelKey } from '../domain/channels';
import { slaEffectKind } from '../domain/ticket-life';

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

/**
 * A complaint to turn into a ticket: its intake entry in the store (src/pipeline/intake-job), never the
 * record itself, so no personal data sits in Redis.
 */
export interface IntakeJob {
  channel?: ChannelKey;
  sourceId?: string;
  /** The normalized record: jobs queued by earlier versions, and in-process stand-ins of the queue. */
  complaint?: unknown;
}

/**
 * respond/route: the first response; follow-up: forward a citizen's new message to the team;
 * relay: a staff reply to the citizen (step 4); reroute: the ticket to its new team;
 * remind/escalate: SLA reminder and escalation, queued by the SLA sweep when due; survey/survey-reminder:
 * the satisfaction survey's invitation and its one reminder, queued by the survey sweep when due.
 */
export type EffectKind =
  | 'respond'
  | 'route'
  | 'follow-up'
  | 'relay'
  | 'reroute'
  | 'remind'
  | 'escalate'
  /** LAPOR!'s clock (issue #23): `ref` is the reminder's working days. */
  | 'lapor-remind'
  | 'lapor-escalate'
  /** The satisfaction survey (issue #21). */
  | 'survey'
  | 'survey-reminder'
  /** Thanks for a survey answer given in chat ("Balas 1–4"): `ref` is the answer's message. */
  | 'survey-thanks'
  /** A repeat complaint was joined to the open ticket: the citizen is told its number where they wrote. */
  | 'joined'
  /** "Sudah sampai mana?": the status of the sender's own ticket, where they asked (issue #22 §2). */
  | 'status'
  /**
   * A status question about no ticket of the sender's: "not found". Its `ticketId` names the message
   * (statusNotFoundOwner), not a ticket; the answer is read from the message's intake entry.
   */
  | 'status-not-found';
/** Performed together, neither waiting for the other: the team hears of a ticket even when the citizen's address bounces. */
export const FIRST_EFFECTS: readonly EffectKind[] = ['route', 'respond'];

/**
 * The side effects of one ticket event, performed together, each guarded by its own effect record:
 * a retry or replay skips the ones already done. One job per event keeps Redis work per complaint low.
 */
export interface EffectJob {
  ticketId: string;
  effects: EffectKind[];
  /**
   * Follow-up and relay: the source id of the message behind it, and its channel (its intake entry is
   * marked done once the effect is done). Reroute: the id of the re-routing. Remind/escalate: the SLA period
   * when > 0 (a reopened ticket's), so each period has its own job id and effect record.
   */
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
  if (job.ref === undefined && job.effects.every((e) => FIRST_EFFECTS.includes(e)))
    return `fx-${hashId(job.ticketId, 'first-response')}`;
  return `fx-${hashId(job.ticketId, job.effects.join('+'), job.ref ?? '')}`;
}

/** The effect record's kind: one per ticket for fixed effects, one per message for message-bound ones, one per SLA period for the reminder and escalation. */
export function effectRecordKind(effect: EffectKind, ref: string | undefined): string {
  if (effect === 'remind' || effect === 'escalate') return slaEffectKind(effect, slaPeriodOfJob(ref));
  if (effect === 'lapor-remind') return `lapor-remind@${ref ?? ''}`;
  return effect === 'follow-up' ||
    effect === 'relay' ||
    effect === 'reroute' ||
    effect === 'joined' ||
    effect === 'status'
    ? `${effect}:${hashId(ref ?? '')}`
    : effect;
}

/** The SLA period a remind/escalate job is for (its `ref`; none in period 0). */
export function slaPeriodOfJob(ref: string | undefined): number {
  return ref === undefined ? 0 : Number(ref);
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
    // Completed jobs need not stay: the store dedupes and keeps the history, not Redis (keeping the last
    // N costs Redis a sorted-set insert and trim per job, ≈ 15 % of its work). Failed ones stay for the DLQ.
    removeOnComplete: true,
    removeOnFail: { count: 50_000 },
  };
}

export function openQueues(connection: ConnectionOptions, prefix: string, attempts: number): PipelineQueues {
  const defaultJobOptions = workJobOptions(attempts);
  const intake = new Queue<IntakeJob>(QUEUE.intake, { connection, prefix, defaultJobOptions });
  const effects = new Queue<EffectJob>(QUEUE.effects, { connection, prefix, defaultJobOptions });
  const deadLetter = new Queue<DeadLetterJob>(QUEUE.deadLetter, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: true },
  });
  return {
    intake,
    effects,
    deadLetter,
    close: async () => {
      await Promise.all([intake.close(), effects.close(), deadLetter.close()]);
    },
  };
}
