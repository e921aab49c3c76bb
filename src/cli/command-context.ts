import path from 'node:path';
import type IORedis from 'ioredis';
import type { AppConfig } from '../config/schema';
import { openRedis, redisAddress, verifyRedis } from '../lib/redis-connection';
import { createStore } from '../main';
import type { Store } from '../store/store';

/**
 * What every command needs from outside the process, opened so that a missing piece fails within
 * seconds with one line that says what, where and how to fix it, instead of retrying in silence.
 */

/** How long a command waits for Redis or the store before giving up. */
export const COMMAND_TIMEOUT_MS = 4000;

/** A failure the person at the terminal can act on: printed as one line, exit code 2. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The store's place, for messages: the SQLite file, or the MongoDB host (never its credentials). */
export function storeAddress(config: AppConfig): string {
  if (!config.store.url) return path.resolve(config.service.dataDir, 'aduan.sqlite');
  try {
    return `MongoDB at ${new URL(config.store.url).host}`;
  } catch {
    return 'the configured MongoDB';
  }
}

/** Opens and pings the store, or throws a CommandError naming the file (or server) and the fix. */
export async function openCommandStore(config: AppConfig, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Store> {
  const store = createStore(config);
  try {
    await withTimeout(
      (async () => {
        await store.init();
        await store.ping();
      })(),
      timeoutMs,
    );
    return store;
  } catch (error) {
    void store.close().catch(() => undefined);
    const fix = config.store.url
      ? 'check store.url (MONGODB_URL) and that the server is running'
      : 'check service.dataDir: the folder must exist or be creatable, and be writable by this user';
    throw new CommandError(
      `aduan: the store (${storeAddress(config)}) cannot be opened: ${(error as Error).message}; ${fix}`,
    );
  }
}

/** Opens the store for `use` and always closes it. */
export async function withCommandStore<T>(config: AppConfig, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openCommandStore(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Throws a CommandError unless Redis answers a PING within the timeout. */
export async function requireRedis(config: AppConfig, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
  try {
    await withTimeout(verifyRedis(config.redis, timeoutMs), timeoutMs + 500);
  } catch (error) {
    throw new CommandError(`aduan: ${redisProblem(config, error as Error)}`);
  }
}

/** One sentence: Redis cannot be used, why, and what to do about it. */
export function redisProblem(config: AppConfig, error: Error): string {
  const message = error.message.startsWith('Redis at ')
    ? error.message
    : `Redis at ${redisAddress(config.redis)} cannot be used: ${error.message}`;
  if (/password|NOAUTH|WRONGPASS/.test(message)) return message;
  return `${message}; start Redis (systemctl start redis-server) or set REDIS_URL / redis.url to a running one`;
}

/**
 * A Redis client for a command: a command fails after a couple of quick retries instead of waiting
 * out an outage as the service's own connection does.
 */
export function commandRedis(config: AppConfig): IORedis {
  const redis = openRedis(config.redis, {
    maxRetriesPerRequest: 1,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => (times > 2 ? null : 200),
  });
  redis.on('error', () => undefined); // reported through the failed command
  return redis;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'no answer'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
