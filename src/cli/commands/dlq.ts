import { maskIdentityNumbers } from '../../domain/personal-data';
import type { AppConfig } from '../../config/schema';
import { createRedis, createStore } from '../../main';
import type { Store } from '../../store/store';
import { listDeadLetters, replayDeadLetters } from '../../pipeline/dead-letter';
import { openQueues } from '../../pipeline/queues';

async function withQueues<T>(
  config: AppConfig,
  use: (queues: ReturnType<typeof openQueues>) => Promise<T>,
): Promise<T> {
  const redis = createRedis(config);
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  try {
    return await use(queues);
  } finally {
    await queues.close();
    await redis.quit();
  }
}

async function withStore<T>(config: AppConfig, use: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore(config);
  await store.init();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export async function runDlqList(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
  const dead = await withQueues(config, listDeadLetters);
  // The store's record of dead messages outlives the queue: it is shown too (Redis may have lost the queue).
  const deadIntake = await withStore(config, (store) => store.listDeadIntake(100));
  if (deadIntake.length) {
    out.write(`${deadIntake.length} message(s) marked dead in the store (newest first, at most 100):\n`);
    for (const entry of deadIntake)
      out.write(`  ${entry.channel}  ${maskIdentityNumbers(entry.sourceId)}  accepted=${entry.acceptedAt}\n`);
  }
  if (dead.length === 0) {
    out.write('dead-letter queue is empty\n');
    return 0;
  }
  out.write(`${dead.length} job(s) in the dead-letter queue:\n`);
  for (const job of dead) {
    const d = job.data;
    const what =
      'ticketId' in d.data ? `${d.data.effects.join(' + ')} of ticket ${d.data.ticketId}` : 'complaint intake';
    out.write(
      `  ${job.id}  ${d.queue}/${d.name}  ${what}  attempts=${d.attemptsMade}  failed=${d.failedAt}\n    reason: ${maskIdentityNumbers(d.failedReason ?? '')}\n`,
    );
  }
  return 0;
}

export async function runDlqReplay(
  config: AppConfig,
  which: { id?: string; all?: boolean },
  out: NodeJS.WritableStream,
): Promise<number> {
  const { replayed, revived } = await withStore(config, (store) =>
    withQueues(config, (queues) => replayDeadLetters(queues, store, which)),
  );
  if (replayed.length) out.write(`replayed ${replayed.length} job(s): ${replayed.join(', ')}\n`);
  if (revived)
    out.write(
      `${revived} message(s) marked dead in the store are pending again: the service's next reconciler pass queues them\n`,
    );
  if (!replayed.length && !revived) out.write('nothing to replay\n');
  return 0;
}
