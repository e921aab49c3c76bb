import { openRedis, type RedisSettings } from '../../../src/lib/redis-connection';

/**
 * Every key under `prefix` with its whole value (sorted-set members without their scores), as text: what Redis would write to its RDB/AOF files
 * and what anyone with access to the server reads. Strings, hashes, lists, sets, sorted sets, streams.
 */
export async function dumpRedisKeys(redis: RedisSettings, prefix: string): Promise<{ keys: number; text: string }> {
  const client = openRedis(redis, { maxRetriesPerRequest: 1 });
  const parts: string[] = [];
  let keys = 0;
  try {
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      for (const key of batch) {
        keys++;
        const type = await client.type(key);
        const value =
          type === 'string'
            ? await client.get(key)
            : type === 'hash'
              ? await client.hgetall(key)
              : type === 'list'
                ? await client.lrange(key, 0, -1)
                : type === 'set'
                  ? await client.smembers(key)
                  : type === 'zset'
                    ? await client.zrange(key, 0, -1) // scores are BullMQ's timestamps, not data
                    : type === 'stream'
                      ? await client.xrange(key, '-', '+')
                      : `(${type})`;
        parts.push(`${key} ${JSON.stringify(value)}`);
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return { keys, text: parts.join('\n') };
}
