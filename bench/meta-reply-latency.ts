/**
 * Meta reply latency: signed webhook POSTs (Messenger) → the service's initial response through the
 * Send API of a loopback fake Graph server, with the real pipeline (Redis, SQLite, BullMQ workers) and
 * the shipped config's Meta rate limits (2 conversation reads/s, the Send API on its own budget). Prints
 * p50/p95/max for single complaints written one at a time, and for a burst of N at once (default 30).
 *   npm run build && node dist/bench/meta-reply-latency.js [singles] [burst]
 * Needs Redis (REDIS_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { metaChannelSchema } from '../src/channels/meta';
import { createMetaReplyTransports } from '../src/channels/meta/parts';
import type { MetaWebhookIntake } from '../src/channels/meta/webhook-intake';
import { loadConfig } from '../src/config/load';
import type { AppConfig } from '../src/config/schema';
import { createLogger } from '../src/lib/logger';
import { deleteKeysWithPrefix } from '../src/lib/redis-keys';
import { startService } from '../src/main';
import { OutboxTransport } from '../src/outbound/outbox-transport';
import { FakeGraphServer, postWebhook } from '../tests/support/fake-graph-server';
import { percentile } from './percentile';

const SINGLES = Number(process.argv[2] ?? 20);
const BURST = Number(process.argv[3] ?? 30);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PAGE_ID = '104000000000001';
const IG_ID = '17841400000000000';
const TOKEN = 'EAAGbenchPageToken0123456789';
const APP_SECRET = 'bench-app-secret-7d1e';

const COMPLAINT =
  'Selamat siang, KTP elektronik saya sudah 3 bulan belum dicetak padahal sudah rekam di kecamatan Sidikalang. Mohon dibantu.';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-bench-meta-'));
  const fake = await FakeGraphServer.start({
    pageId: PAGE_ID,
    igAccountId: IG_ID,
    accessToken: TOKEN,
    appSecret: APP_SECRET,
  });
  const configDir = path.resolve(__dirname, '../../config');
  const base = loadConfig(configDir, { ...process.env, REDIS_URL, MONGODB_URL: '' });
  const prefix = `bench-meta-${process.pid}`;
  const meta = metaChannelSchema.parse({
    enabled: true,
    graphBaseUrl: fake.url,
    pageId: PAGE_ID,
    pageAccessToken: TOKEN,
    appSecret: APP_SECRET,
    // Polling only as the safety net; the shipped read limit (2 calls/s) stays.
    polling: { intervalMs: 60_000 },
    webhook: { enabled: true, host: '127.0.0.1', port: 0, verifyToken: 'bench' },
  });
  const config: AppConfig = {
    ...base,
    service: { ...base.service, dataDir: path.join(dir, 'data'), healthPort: 0 },
    redis: { url: REDIS_URL, prefix },
    store: { ...base.store, url: undefined },
    outbound: { ...base.outbound, outboxDir: path.join(dir, 'outbox') },
    channels: { ...base.channels, meta },
  };
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const from = { address: config.outbound.fromAddress, name: config.outbound.fromName };
  const service = await startService({
    config,
    configDir,
    log,
    transports: {
      citizen: createMetaReplyTransports(meta, log, config.outboundHttp),
      team: new OutboxTransport(config.outbound.outboxDir, from),
    },
  });
  const url = (service.channels.find((c) => c.name === 'meta-webhook') as MetaWebhookIntake).url();
  let citizen = 0;
  /** Posts one signed notification per citizen at once; resolves with each one's POST → Send API call time. */
  const round = async (count: number): Promise<number[]> => {
    const posted = new Map<string, number>();
    await Promise.all(
      Array.from({ length: count }, async () => {
        const id = `70000000${String(++citizen).padStart(8, '0')}`;
        const { messageId } = fake.addInbound('messenger', { id, name: `Warga ${citizen}` }, COMPLAINT);
        posted.set(id, Date.now());
        const response = await postWebhook(url, fake.webhookPayloadFor(messageId), APP_SECRET);
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      }),
    );
    const deadline = Date.now() + 120_000;
    const answered = () =>
      fake.sendCalls().filter((c) => posted.has(String((c.body?.recipient as { id?: string })?.id)));
    while (answered().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return answered().map((c) => c.at - posted.get(String((c.body?.recipient as { id?: string }).id))!);
  };
  const singles: number[] = [];
  let burst: number[];
  try {
    await round(1); // warm-up: first queue connections, first SQLite statements
    for (let i = 0; i < SINGLES; i++) singles.push(...(await round(1)));
    burst = await round(BURST);
  } finally {
    await service.stop();
    await fake.close();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
  const s = singles.sort((a, b) => a - b);
  const b = burst.sort((x, y) => x - y);
  console.log(`meta reply latency on Node ${process.version}, ${os.cpus().length} CPU(s), loopback fake Graph API`);
  console.log(
    `single (${s.length} one at a time): webhook POST → Send API call p50 ${percentile(s, 50)} ms, p95 ${percentile(s, 95)} ms, max ${s[s.length - 1]} ms`,
  );
  console.log(
    `burst of ${BURST} at once (${b.length} answered): p50 ${percentile(b, 50)} ms, p95 ${percentile(b, 95)} ms, last ${b[b.length - 1]} ms`,
  );
  if (s.length < SINGLES || b.length < BURST) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
