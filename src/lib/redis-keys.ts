import { openRedis, type RedisSettings } from './redis-connection';

/**
 * Removes every key under a BullMQ prefix (the demo's and the benchmarks' throw-away queues, a test's
 * queues), so a shared Redis is left as it was. SCAN, not KEYS: it never blocks the server.
 */
export async function deleteKeysWithPrefix(redis: RedisSettings | string, prefix: string): Promise<void> {
  const client = openRedis(typeof redis === 'string' ? { url: redis } : redis, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
