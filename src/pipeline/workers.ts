import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { AppConfig } from '../config/schema';
import { backoffDelay } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { PipelineMetrics } from './metrics';
import { isFinalFailure, sendToDeadLetter } from './dead-letter';
import type { EffectsStage } from './effects-stage';
import { classifyError, toJobError, TransientError } from '../lib/errors';
import type { IntakeStage } from './intake-stage';
import { complaintOfJob } from './intake-job';
import { QUEUE, type EffectJob, type IntakeJob, type PipelineQueues, type WorkQueueName } from './queues';

export interface RunningWorkers {
  /** Stops taking jobs; waits up to the timeout for active ones, then releases them (they are retried). */
  close(timeoutMs: number): Promise<void>;
  workers: Worker[];
}

export function startWorkers(deps: {
  connection: ConnectionOptions;
  prefix: string;
  pipeline: AppConfig['pipeline'];
  queues: PipelineQueues;
  intake: IntakeStage;
  effects: EffectsStage;
  log: Logger;
  metrics?: Pick<PipelineMetrics, 'jobFailed'>;
  /** Marks the intake entries of dead jobs. */
  store: Pick<Store, 'markIntakeDead' | 'getIntakePayload'>;
}): RunningWorkers {
  const { connection, prefix, pipeline, queues, log } = deps;
  const settings = {
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
      error instanceof TransientError && error.retryAfterMs
        ? error.retryAfterMs
        : backoffDelay(attemptsMade, pipeline.backoffMs, pipeline.maxBackoffMs),
  };

  const run =
    <T>(stage: (job: Job<T>) => Promise<unknown>) =>
    async (job: Job<T>) => {
      try {
        return await stage(job);
      } catch (error) {
        log.warn(
          {
            queue: job.queueName,
            jobId: job.id,
            attempt: job.attemptsMade + 1,
            class: classifyError(error),
            err: error,
          },
          'job failed',
        );
        throw toJobError(error);
      }
    };

  const intakeWorker = new Worker<IntakeJob>(
    QUEUE.intake,
    run<IntakeJob>(async (job) => {
      const complaint = await complaintOfJob(job.data, deps.store);
      if (complaint === undefined) return { done: 'the intake entry was handled already' };
      const outcome = await deps.intake.process(complaint);
      if (outcome.kind === 'quarantined') return { quarantined: outcome.reason };
      if (outcome.kind === 'ignored') return { ignored: outcome.reason };
      if (outcome.kind === 'status-question')
        return { statusQuestion: outcome.answer, ticket: outcome.ticket?.ticketNumber };
      return { ticket: outcome.ticket.ticketNumber, kind: outcome.kind };
    }),
    { connection, prefix, concurrency: pipeline.intakeConcurrency, settings, maxStalledCount: 3 },
  );
  const effectsWorker = new Worker<EffectJob>(
    QUEUE.effects,
    run<EffectJob>((job) => deps.effects.process(job.data)),
    // A job released by a forced shutdown stalls; allow a few of those before calling it dead.
    { connection, prefix, concurrency: pipeline.effectsConcurrency, settings, maxStalledCount: 3 },
  );

  const deadLetterOnFinalFailure = (queue: WorkQueueName) => (job: Job | undefined, error: Error) => {
    if (!job) return;
    const final = isFinalFailure(job, error);
    deps.metrics?.jobFailed(queue, error.name === 'UnrecoverableError' ? 'permanent' : 'retryable', final);
    if (!final) return;
    log.error({ queue, jobId: job.id, reason: error.message }, 'job moved to the dead-letter queue');
    sendToDeadLetter(queues.deadLetter, deps.store, queue, job).catch((dlqError: unknown) =>
      log.error({ err: dlqError, jobId: job.id }, 'could not copy to dead-letter queue; the next reconciler pass will'),
    );
  };
  intakeWorker.on('failed', deadLetterOnFinalFailure(QUEUE.intake));
  effectsWorker.on('failed', deadLetterOnFinalFailure(QUEUE.effects));
  for (const worker of [intakeWorker, effectsWorker]) {
    worker.on('error', (error) => log.error({ err: error, queue: worker.name }, 'worker error'));
  }

  const workers = [intakeWorker, effectsWorker];
  return {
    workers,
    close: async (timeoutMs: number) => {
      // Pausing stops fetching and waits for active jobs; close(true) afterwards really forces (a close()
      // already under way would make a later close(true) wait for it).
      const finished = Promise.all(workers.map((w) => w.pause(false)));
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref()),
      ]);
      if (timedOut) log.warn({ timeoutMs }, 'in-flight jobs did not finish in time; releasing them for retry');
      await Promise.all(workers.map((w) => w.close(timedOut)));
    },
  };
}
