/**
 * Pushes N complaints through the whole pipeline (outbox transport) and, in the same run, N jobs through
 * a bare two-stage BullMQ no-op pipeline. Prints throughput, add-to-done latency, peak RSS, the ratio, and
 * where the CPU went: the measured process (all threads) and Redis (INFO cpu), per complaint.
 *   npm run build && node dist/bench/pipeline.js [N] [ROUNDS]
 * Each pipeline runs in a fresh process (so neither's memory counts in the other's peak RSS), bare then
 * full, ROUNDS times (default 3): on a shared VM the speed of the CPU drifts by ±25 % within minutes, so
 * one run says little; the summary gives medians and the ratio of each round, whose two runs are seconds
 * apart. Needs Redis (REDIS_URL, default redis://127.0.0.1:6379). BENCH_DIR: where the store and the
 * outbox go (default: the system's temporary folder).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { loadConfig } from '../src/config/load';
import type { AppConfig } from '../src/config/schema';
import { createLogger } from '../src/lib/logger';
import { startService } from '../src/main';
import type { OutgoingMessage, Transport } from '../src/outbound/message';
import { OutboxTransport } from '../src/outbound/outbox-transport';
import { deleteKeysWithPrefix } from '../src/lib/redis-keys';

const [countArg, roundsArg, phaseFlag, phaseArg, phaseDir] = process.argv.slice(2);
const N = Number(countArg ?? 10_000);
const ROUNDS = Number(roundsArg ?? 3);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PRODUCERS = 64;
const BENCH_DIR = process.env.BENCH_DIR ?? os.tmpdir();

interface Figures {
  label: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  peakRssMb: number;
  cpu: CpuPerItem;
}
/** CPU milliseconds per complaint: this process (user + system, all threads) and the Redis server. */
interface CpuPerItem {
  process: number;
  redis: number;
}

async function redisCpuSeconds(redis: IORedis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Starts counting CPU; `stop` gives milliseconds per item. */
async function trackCpu(redis: IORedis): Promise<{ stop(items: number): Promise<CpuPerItem> }> {
  const processStart = process.cpuUsage();
  const redisStart = await redisCpuSeconds(redis);
  return {
    stop: async (items) => {
      const used = process.cpuUsage(processStart);
      return {
        process: (used.user + used.system) / 1000 / items,
        redis: (((await redisCpuSeconds(redis)) - redisStart) * 1000) / items,
      };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function trackRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576)) };
}

async function runConcurrently(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function bare(): Promise<Figures> {
  const prefix = `bench-bare-${process.pid}`;
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const first = new Queue('first', { connection, prefix });
  const second = new Queue('second', { connection, prefix });
  const addedAt = new Map<number, number>();
  const latencies: number[] = [];
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const w1 = new Worker(
    'first',
    async (job) => {
      await second.add('b', job.data, { removeOnComplete: true });
    },
    { connection, prefix, concurrency: 20 },
  );
  const w2 = new Worker(
    'second',
    async (job) => {
      latencies.push(Date.now() - addedAt.get(job.data.i as number)!);
      if (++done === N) resolveAll();
    },
    { connection, prefix, concurrency: 10 },
  );
  const rss = trackRss();
  const cpuTracker = await trackCpu(connection);
  const start = Date.now();
  await runConcurrently(N, async (i) => {
    addedAt.set(i, Date.now());
    await first.add('a', { i }, { removeOnComplete: true });
  });
  await all;
  const seconds = (Date.now() - start) / 1000;
  const peakRssMb = rss.stop();
  const cpu = await cpuTracker.stop(N);
  await Promise.all([w1.close(), w2.close(), first.close(), second.close()]);
  connection.disconnect();
  await deleteKeysWithPrefix(REDIS_URL, prefix);
  latencies.sort((a, b) => a - b);
  return {
    label: 'bare 2-stage BullMQ',
    seconds,
    perSecond: N / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    peakRssMb,
    cpu,
  };
}

/** Counts deliveries per complaint; a complaint is done when its reply and its team mail are out. */
class CountingTransport implements Transport {
  private readonly delivered = new Map<number, number>();
  constructor(
    private readonly inner: Transport,
    private readonly onDone: (i: number) => void,
  ) {}
  async deliver(message: OutgoingMessage): Promise<string> {
    const detail = await this.inner.deliver(message);
    const match = /bench-(\d+)@/.exec(message.purpose === 'acknowledgement' ? message.to[0]! : message.text);
    const i = Number(match?.[1]);
    const count = (this.delivered.get(i) ?? 0) + 1;
    this.delivered.set(i, count);
    if (count === 2) this.onDone(i);
    return detail;
  }
}

async function full(): Promise<Figures> {
  const dir = mkdtempSync(path.join(phaseDir ?? BENCH_DIR, 'full-'));
  const base = loadConfig(path.resolve('config'), { ...process.env, REDIS_URL, MONGODB_URL: '' });
  const config: AppConfig = {
    ...base,
    service: { ...base.service, dataDir: path.join(dir, 'data'), healthPort: 0 },
    pipeline: {
      ...base.pipeline,
      intakeConcurrency: Number(process.env.BENCH_INTAKE ?? base.pipeline.intakeConcurrency),
      effectsConcurrency: Number(process.env.BENCH_EFFECTS ?? base.pipeline.effectsConcurrency),
    },
    redis: { url: REDIS_URL, prefix: `bench-full-${process.pid}` },
    store: { ...base.store, url: undefined },
    outbound: { ...base.outbound, mode: 'outbox', outboxDir: path.join(dir, 'outbox') },
  };
  const addedAt = new Map<number, number>();
  const latencies: number[] = [];
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const outbox = new OutboxTransport(config.outbound.outboxDir, {
    address: config.outbound.fromAddress,
    name: config.outbound.fromName,
  });
  const counting = new CountingTransport(outbox, (i) => {
    latencies.push(Date.now() - addedAt.get(i)!);
    if (++done === N) resolveAll();
  });
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const service = await startService({
    config,
    configDir: path.resolve('config'),
    log,
    channels: [],
    transports: { citizen: { email: counting }, team: counting },
  });
  const texts = [
    'Mohon info syarat membuat akta kelahiran anak yang baru lahir',
    'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon dibantu konsolidasi',
    'min sy lupa password perkebbas gk bs login tlg dibantu',
    'Surat pindah saya ke Sidikalang sudah seminggu belum selesai',
  ];
  const redis = new IORedis(REDIS_URL);
  const rss = trackRss();
  const cpuTracker = await trackCpu(redis);
  const start = Date.now();
  await runConcurrently(N, async (i) => {
    addedAt.set(i, Date.now());
    await service.sink.submit(
      {
        channel: 'email',
        sourceId: `<bench-${i}@bench.test>`,
        receivedAt: new Date().toISOString(),
        complainant: { name: `Warga ${i}`, email: `bench-${i}@bench.test` },
        subject: 'Pengaduan',
        text: texts[i % texts.length]!,
      },
      { channel: 'email' },
    );
  });
  await all;
  const seconds = (Date.now() - start) / 1000;
  const peakRssMb = rss.stop();
  const cpu = await cpuTracker.stop(N);
  redis.disconnect();
  await service.stop();
  await deleteKeysWithPrefix(REDIS_URL, config.redis.prefix);
  latencies.sort((a, b) => a - b);
  return {
    label: 'aduan full pipeline',
    seconds,
    perSecond: N / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    peakRssMb,
    cpu,
  };
}

type Phase = 'bare' | 'full';

/** Runs one pipeline in a child process of its own; it prints its figures as JSON. */
function runPhase(phase: Phase, dir: string): Figures {
  const output = execFileSync(
    process.execPath,
    [...process.execArgv, __filename, String(N), '1', '--phase', phase, dir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as Figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function describe(r: Figures): string {
  const total = r.cpu.process + r.cpu.redis;
  // Both share the machine's cores: their CPU per complaint bounds the rate, however well spread.
  return (
    `${r.label.padEnd(22)} ${r.perSecond.toFixed(0).padStart(6)} /s  (${r.seconds.toFixed(1)} s)  p50 ${r.p50} ms  p95 ${r.p95} ms  peak RSS ${r.peakRssMb} MB  ` +
    `CPU/complaint ${r.cpu.process.toFixed(2)} + Redis ${r.cpu.redis.toFixed(2)} ms (≤ ${((os.cpus().length * 1000) / total).toFixed(0)}/s on ${os.cpus().length} cores)`
  );
}

async function main(): Promise<void> {
  if (phaseFlag === '--phase') {
    console.log(JSON.stringify(phaseArg === 'bare' ? await bare() : await full()));
    return;
  }
  console.log(
    `N = ${N} complaints, ${ROUNDS} rounds, ${PRODUCERS} concurrent producers, Redis ${REDIS_URL}, node ${process.version}, ${os.cpus().length} cores, files in ${BENCH_DIR}`,
  );
  const rounds: Array<{ bare: Figures; full: Figures; ratio: number }> = [];
  // Files are deleted after the last round: on ext4 without a journal, creating files right after many
  // were deleted costs up to 1 ms of kernel time each (see README), which would slow the later rounds.
  const dir = mkdtempSync(path.join(BENCH_DIR, 'aduan-bench-'));
  for (let round = 1; round <= ROUNDS; round++) {
    const b = runPhase('bare', dir);
    const f = runPhase('full', dir);
    const ratio = f.perSecond / b.perSecond;
    rounds.push({ bare: b, full: f, ratio });
    console.log(`round ${round}\n  ${describe(b)}\n  ${describe(f)}\n  ratio full/bare ${ratio.toFixed(2)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const of = (pick: (r: (typeof rounds)[number]) => number) => rounds.map(pick);
  console.log(
    `median of ${ROUNDS}: bare ${median(of((r) => r.bare.perSecond)).toFixed(0)}/s, full ${median(of((r) => r.full.perSecond)).toFixed(0)}/s ` +
      `(each ${of((r) => r.full.perSecond)
        .map((v) => v.toFixed(0))
        .join(', ')}), ratio ${median(of((r) => r.ratio)).toFixed(2)} (each ${of((r) => r.ratio)
        .map((v) => v.toFixed(2))
        .join(', ')}), ` +
      `full peak RSS at most ${Math.max(...of((r) => r.full.peakRssMb))} MB, CPU per complaint ${median(of((r) => r.full.cpu.process)).toFixed(2)} + Redis ${median(of((r) => r.full.cpu.redis)).toFixed(2)} ms`,
  );
  console.log('targets: ≥ 1000/s end to end, ratio ≥ 0.25, peak RSS ≤ 250 MB');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
