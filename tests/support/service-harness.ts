import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { deleteKeysWithPrefix } from '../../src/lib/redis-keys';
import { loadConfig } from '../../src/config/load';
import type { AppConfig } from '../../src/config/schema';
import { createLogger, type Logger } from '../../src/lib/logger';
import type { ComplaintClassifier } from '../../src/domain/classifier';
import { createClassifier, startService, type RunningService, type ServiceParts } from '../../src/main';
import { OutboxTransport } from '../../src/outbound/outbox-transport';
import { FlakyTransport } from './flaky-transport';

/** The repository's own config folder: tests run the configuration admins get. */
export const REPO_CONFIG_DIR = path.resolve(__dirname, '../../config');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The reply-token secret of every test service (tests sign staff replies with it, as staff mail would carry). */
export const TEST_REPLY_SECRET = 'test-reply-secret-0123456789abcdef0123456789abcdef';

export interface TestEnv {
  config: AppConfig;
  configDir: string;
  dir: string;
  /** Every log line the service wrote (JSON strings), for assertions about what gets logged. */
  logLines: string[];
  log: Logger;
  cleanup(): Promise<void>;
}

/**
 * A fresh data folder, outbox and BullMQ prefix per test, on the real Redis, with the shipped config.
 * `tweak` adjusts the config (short backoff, other transports) before the service starts.
 */
export function createTestEnv(tweak: (config: AppConfig) => AppConfig = (c) => c): TestEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-test-'));
  const base = loadConfig(REPO_CONFIG_DIR, { ...process.env, REDIS_URL, MONGODB_URL: '' });
  const prefix = `aduan-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const config = tweak({
    ...base,
    service: { ...base.service, dataDir: path.join(dir, 'data'), healthPort: 0, logLevel: 'debug' },
    redis: { url: REDIS_URL, prefix },
    store: { ...base.store, url: undefined },
    pipeline: {
      ...base.pipeline,
      backoffMs: 50,
      maxBackoffMs: 200,
      attempts: 3,
      shutdownTimeoutMs: 3000,
      reconcileIntervalMs: 600_000,
    },
    outbound: { ...base.outbound, mode: 'outbox', outboxDir: path.join(dir, 'outbox') },
    alerts: { ...base.alerts, adminEmails: ['admin@aduan.test'], repeatAfterMinutes: 60 },
    // An explicit secret: tests restart the service and build token-bearing replies (see reply-tokens.ts).
    staff: { ...base.staff, replySecret: TEST_REPLY_SECRET, replySecretPrevious: '' },
    // Fixtures carry past dates, so their SLA timers would fire at once; the SLA tests turn them on.
    sla: { ...base.sla, timers: false },
  });
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  return {
    config,
    configDir: REPO_CONFIG_DIR,
    dir,
    logLines,
    log,
    cleanup: async () => {
      await deleteKeysWithPrefix(config.redis, config.redis.prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let sharedClassifier: ComplaintClassifier | undefined;

/** The real service; the classifier (the shipped model) is trained once per test file, not per test. */
export function startTestService(env: TestEnv, parts: Partial<ServiceParts> = {}): Promise<RunningService> {
  sharedClassifier ??= createClassifier(env.config, env.configDir);
  return startService({
    config: env.config,
    configDir: env.configDir,
    log: env.log,
    channels: [],
    classifier: sharedClassifier,
    ...parts,
  });
}

/** The outbox transport, recording every delivery: what tests count to prove "once". */
export function recordingOutbox(env: TestEnv): FlakyTransport {
  return new FlakyTransport(
    new OutboxTransport(env.config.outbound.outboxDir, { address: env.config.outbound.fromAddress, name: 'uji' }),
    () => undefined,
  );
}

/** Whether a job has finished well: completed jobs are removed at once, so one that is gone is done too. */
export async function jobDone(queue: Queue, jobId: string): Promise<boolean> {
  const state = await queue.getJobState(jobId);
  if (state === 'failed') throw new Error(`job ${jobId} failed`);
  return state === 'completed' || state === 'unknown';
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { deleteKeysWithPrefix as deleteKeys };

/**
 * The finished messages of an outbox folder, sorted (none when it does not exist yet). A message is written
 * to `<name>.<pid>.tmp` and renamed: a listing must not return a file that is about to disappear.
 */
export function outboxMessages(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.endsWith('.tmp'))
        .sort()
    : [];
}
