import { maskIdentityNumbers } from '../../domain/personal-data';
import type { AppConfig } from '../../config/schema';
import { createRedis } from '../../main';
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

export async function runDlqList(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
  const dead = await withQueues(config, listDeadLetters);
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
  const replayed = await withQueues(config, (queues) => replayDeadLetters(queues, which));
  out.write(replayed.length ? `replayed ${replayed.length} job(s): ${replayed.join(', ')}\n` : 'nothing to replay\n');
  return 0;
}
