import { readFileSync } from 'node:fs';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';

/**
 * Every Redis connection the service makes (the shared client, BullMQ queues and workers, the
 * monthly recap, CLI commands) is opened from here, so a password and TLS apply to all of them:
 * `redis://:password@host:6379`, `rediss://…` (TLS), or `redis.password` from the environment
 * (REDIS_PASSWORD or REDIS_PASSWORD_FILE), which wins over a password in the URL. Neither the URL
 * nor the password is ever logged.
 */

export interface RedisSettings {
  url: string;
  password?: string | undefined;
  /** PEM file of the CA that signed the server's certificate (rediss:// with a private CA). */
  tlsCaFile?: string | undefined;
}

/** The URL with the configured password in it (ioredis lets the URL's password win over an option). */
export function redisUrl(redis: RedisSettings): string {
  if (!redis.password) return redis.url;
  const url = new URL(redis.url);
  url.password = encodeURIComponent(redis.password);
  return url.toString();
}

function tlsOptions(redis: RedisSettings): RedisOptions {
  return redis.tlsCaFile ? { tls: { ca: readFileSync(redis.tlsCaFile) } } : {};
}

export function openRedis(redis: RedisSettings, options: RedisOptions = {}): IORedis {
  return new IORedis(redisUrl(redis), { ...tlsOptions(redis), ...options });
}

/** BullMQ's connection options (it opens the client itself: `new IORedis(url, rest)`). */
export function bullConnection(redis: RedisSettings, options: BullRedisOptions = {}): BullRedisOptions {
  return {
    url: redisUrl(redis),
    ...(redis.tlsCaFile ? { tls: { ca: readFileSync(redis.tlsCaFile) } } : {}),
    ...options,
  };
}

/** Where Redis is, for messages: host and port, never the credentials. */
export function redisAddress(redis: RedisSettings): string {
  try {
    const url = new URL(redis.url);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the configured Redis';
  }
}

/**
 * Connects once, without retries, and says in one sentence why Redis cannot be used: a wrong or
 * missing password, TLS trouble or no server. Start-up calls it first, so the service fails with this
 * instead of logging a reconnect error every second.
 */
export async function verifyRedis(redis: RedisSettings, timeoutMs = 5000): Promise<void> {
  const client = openRedis(redis, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  let firstError: Error | undefined;
  client.on('error', (error: Error) => (firstError ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = firstError ?? (error as Error);
    throw new Error(`Redis at ${redisAddress(redis)} cannot be used: ${explain(cause)}`, { cause: error });
  } finally {
    client.disconnect();
  }
}

function explain(error: Error): string {
  const message = error.message;
  if (/^WRONGPASS/.test(message)) {
    return 'it refused the password (WRONGPASS); check REDIS_PASSWORD / REDIS_PASSWORD_FILE or the URL';
  }
  if (/^NOAUTH/.test(message)) return 'it requires a password (NOAUTH); set REDIS_PASSWORD or REDIS_PASSWORD_FILE';
  return message;
}
