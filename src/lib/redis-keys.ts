import IORedis from 'ioredis';

/**
 * Removes every key under a BullMQ prefix (the demo's and the benchmarks' throw-away queues, a test's
 * queues), so a shared Redis is left as it was. SCAN, not KEYS: it never blocks the server.
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
