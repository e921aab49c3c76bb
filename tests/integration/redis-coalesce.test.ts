import type { Socket } from 'node:net';
import IORedis from 'ioredis';
import { coalesceWritesPerTick } from '../../src/lib/redis-coalesce';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Socket writes (system calls) made while `run` issues its commands, and what they returned. */
async function socketWrites<T>(redis: IORedis, run: () => Promise<T>): Promise<{ writes: number; result: T }> {
  const stream = (redis as unknown as { stream: Socket & { _write: unknown; _writev: unknown } }).stream;
  const single = jest.spyOn(stream as unknown as { _write: () => void }, '_write');
  const vector = jest.spyOn(stream as unknown as { _writev: () => void }, '_writev');
  try {
    const result = await run();
    return { writes: single.mock.calls.length + vector.mock.calls.length, result };
  } finally {
    single.mockRestore();
    vector.mockRestore();
  }
}

describe('Redis commands of one event-loop turn in one socket write (real Redis)', () => {
  const key = `aduan-test-coalesce-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const clients: IORedis[] = [];
  const connect = async (coalesce: boolean) => {
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    if (coalesce) coalesceWritesPerTick(redis);
    clients.push(redis);
    await redis.ping();
    return redis;
  };
  afterAll(async () => {
    await clients[0]?.del(key, `${key}:again`);
    for (const c of clients) c.disconnect();
  });
  const hundredIncrements = (redis: IORedis, k: string) => () =>
    Promise.all(Array.from({ length: 100 }, () => redis.incr(k)));

  test('a hundred commands issued together go out in one write and are answered in order', async () => {
    const redis = await connect(true);
    const { writes, result } = await socketWrites(redis, hundredIncrements(redis, key));
    expect(result).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(writes).toBe(1);
  });

  test('without it, each command is its own write', async () => {
    const redis = await connect(false);
    const { writes } = await socketWrites(redis, hundredIncrements(redis, `${key}:plain`));
    await redis.del(`${key}:plain`);
    expect(writes).toBe(100);
  });

  test('commands issued one after another each go out at once, and the new socket after a reconnect is coalesced too', async () => {
    const redis = await connect(true);
    const { writes } = await socketWrites(redis, async () => {
      for (let i = 0; i < 5; i++) await redis.incr(`${key}:again`);
    });
    expect(writes).toBe(5);
    redis.disconnect(true);
    await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const { writes: afterReconnect, result } = await socketWrites(redis, hundredIncrements(redis, `${key}:again`));
    expect(result[99]).toBe(105);
    expect(afterReconnect).toBe(1);
  });
});
