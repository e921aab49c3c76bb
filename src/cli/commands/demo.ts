import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import { describeTarget, parseTarget } from '../../domain/target';
import type { Logger } from '../../lib/logger';
import { openRedis, redisAddress, type RedisSettings } from '../../lib/redis-connection';
import { deleteKeysWithPrefix } from '../../lib/redis-keys';
import { startService, type RunningService } from '../../main';
import { FIRST_EFFECTS } from '../../pipeline/queues';
import { satisfactionCoverLines } from '../../report/recap-satisfaction';
import { writeDemoRecap } from './demo-recap';
import { feedSamples } from './demo-samples';
import { demoSurvey } from './demo-survey';
import { systemClock, type Clock } from '../../domain/clock';

export interface DemoOptions {
  samplesDir: string;
  /** Where the demo keeps its own store and outbox; wiped at start so each run is fresh. */
  workDir: string;
  timeoutMs: number;
}

/**
 * Runs the real pipeline on the sample complaints with every outgoing message written to the outbox,
 * then prints what happened to each complaint.
 */
export async function runDemo(
  base: AppConfig,
  configDir: string,
  options: DemoOptions,
  log: Logger,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  clock: Clock = systemClock,
): Promise<number> {
  if (!(await redisAnswers(base.redis))) {
    err.write(
      `Redis does not answer at ${redisAddress(base.redis)}.\n` +
        'Start one, e.g.:  redis-server --daemonize yes --port 6379 --save "" --appendonly no\n' +
        '(or apt-get install redis-server; or set REDIS_URL to a reachable Redis).\n',
    );
    return 2;
  }
  rmSync(options.workDir, { recursive: true, force: true });
  const outboxDir = path.join(options.workDir, 'outbox');
  const config: AppConfig = {
    ...base,
    service: { ...base.service, dataDir: path.join(options.workDir, 'data') },
    store: { ...base.store, url: undefined },
    redis: { ...base.redis, prefix: `aduan-demo-${process.pid}-${Date.now()}` },
    outbound: { ...base.outbound, mode: 'outbox', outboxDir },
    pipeline: { ...base.pipeline, backoffMs: 200 },
    // The demo ends in seconds, long before any reminder would be due: no timers to clutter the outbox.
    sla: { ...base.sla, timers: false },
    // A fresh data folder every run: a secret for this run only is all the demo needs.
    staff: { ...base.staff, replySecret: base.staff.replySecret || randomBytes(32).toString('hex') },
  };
  const started = Date.now();
  const service = await startService({ config, configDir, log, channels: [], clock });
  try {
    await feedSamples(service, config, options.samplesDir, log, clock.now());
    await waitUntilIdle(service, options.timeoutMs);
    await printTable(service, config, out);
    await demoSurvey(service, config, clock.now());
    const quarantined = await service.store.listQuarantine();
    out.write(
      `\n${quarantined.length} record(s) quarantined${quarantined.map((q) => `\n  ${q.sourceId ?? '?'}: ${q.reason}`).join('')}\n`,
    );
    const recap = await writeDemoRecap(service.store, config, configDir, options.workDir, clock.now());
    if (recap.report)
      out.write(
        `\nKepuasan (contoh):\n${satisfactionCoverLines(recap.report.satisfaction)
          .map((l) => `  ${l}\n`)
          .join('')}`,
      );
    if (recap.files.length)
      out.write(`Recap of this month (earlier months seeded as history): ${recap.files.join(', ')}\n`);
    out.write(`Outgoing messages: ${outboxDir}\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } finally {
    await service.stop();
    await deleteKeysWithPrefix(config.redis, config.redis.prefix);
  }
}

async function waitUntilIdle(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all([
      service.queues.intake.getJobCounts('waiting', 'active', 'delayed'),
      service.queues.effects.getJobCounts('waiting', 'active', 'delayed'),
    ]);
    const busy = counts.some((c) => Object.values(c).some((n) => n > 0));
    const missing = await service.store.listTicketsMissingEffects(
      [...FIRST_EFFECTS],
      new Date(Date.now() + 60_000).toISOString(),
      1,
    );
    if (!busy && missing.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pipeline still busy after ${timeoutMs} ms`);
}

async function printTable(service: RunningService, config: AppConfig, out: NodeJS.WritableStream): Promise<void> {
  const tickets = await service.store.listTickets({});
  const rows = [['Tiket', 'Kanal', 'Jenis', 'Target', 'Tim', 'Respon awal']];
  for (const t of tickets) {
    const category = config.categories[t.classification.category];
    const effects = await service.store.listEffects(t.id);
    const respond = effects.find((e) => e.kind === 'respond');
    rows.push([
      t.ticketNumber,
      t.channel,
      `${t.classification.category} (${Math.round(t.classification.confidence * 100)}%)`,
      describeTarget(parseTarget(category.target)),
      config.teams[t.team]?.name ?? t.team,
      respond?.detail?.startsWith('skipped') ? 'tidak otomatis' : 'terkirim',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const [index, row] of rows.entries()) {
    out.write(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd() + '\n',
    );
    if (index === 0) out.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  }
}

async function redisAnswers(redis: RedisSettings): Promise<boolean> {
  const probe = openRedis(redis, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
