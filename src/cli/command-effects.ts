import type { JobsOptions, Queue } from 'bullmq';
import type { AppConfig } from '../config/schema';
import { openQueues, type EffectJob, type PipelineQueues } from '../pipeline/queues';
import { COMMAND_TIMEOUT_MS, commandRedis, requireRedis, withTimeout } from './command-context';

export interface LaterQueue extends Pick<Queue<EffectJob>, 'add'> {
  /** True when some effects could not be queued (the service's reconciler queues them later). */
  postponed(): boolean;
  reason(): string;
  /** False when Redis could not be reached at all when opened (nothing will be queued by this process). */
  reachable(): boolean;
  close(): Promise<void>;
}

/**
 * The effects queue of the service, or a stand-in when Redis is away: the ticket is in the store
 * either way, and the running service's reconciler queues the first response of any ticket lacking it.
 */
export async function effectsQueueOrLater(config: AppConfig): Promise<LaterQueue> {
  let failure: string | undefined;
  let queues: PipelineQueues | undefined;
  let redis: ReturnType<typeof commandRedis> | undefined;
  try {
    await requireRedis(config);
    redis = commandRedis(config);
    queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  } catch (error) {
    failure = (error as Error).message.replace(/^aduan: Redis at \S+ cannot be used: /, '').split(';')[0]!;
  }
  return {
    add: (async (name: string, data: EffectJob, opts?: JobsOptions) => {
      if (!queues) return undefined;
      try {
        return await withTimeout(queues.effects.add(name, data, opts), COMMAND_TIMEOUT_MS);
      } catch (error) {
        failure ??= (error as Error).message;
        return undefined;
      }
    }) as LaterQueue['add'],
    postponed: () => failure !== undefined,
    reason: () => failure ?? '',
    reachable: () => queues !== undefined,
    close: async () => {
      await queues?.close().catch(() => undefined);
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
