/**
 * WhatsApp latency: POSTs N signed Cloud API webhooks (default 500), `rate` per second (default 50),
 * each from a different citizen, to the service's real webhook receiver; the service answers through
 * the real reply transport to the loopback fake Cloud API. Prints p50/p95/max of webhook POST →
 * initial response accepted by the Cloud API, and of the webhook's own answer (Meta wants < 250 ms).
 *   npm run build && node dist/bench/whatsapp-reply-latency.js [N] [perSecond]
 * Needs Redis (REDIS_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { whatsappChannelSchema } from '../src/channels/whatsapp/config-schema';
import { createWhatsAppReplyTransports } from '../src/channels/whatsapp/parts';
import type { WhatsAppWebhookIntake } from '../src/channels/whatsapp/webhook-intake';
import { loadConfig } from '../src/config/load';
import type { AppConfig } from '../src/config/schema';
import { createLogger } from '../src/lib/logger';
import { deleteKeysWithPrefix } from '../src/lib/redis-keys';
import { startService } from '../src/main';
import { OutboxTransport } from '../src/outbound/outbox-transport';
import { FakeWhatsAppServer, messagesPayload, postSignedWebhook } from '../tests/support/fake-whatsapp-server';
import { percentile } from './percentile';

const N = Number(process.argv[2] ?? 500);
const PER_SECOND = Number(process.argv[3] ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LINE = '106540352242922';
const TOKEN = 'bench-token';
const SECRET = 'bench-app-secret';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-bench-wa-'));
  const fake = await FakeWhatsAppServer.start({ accessToken: TOKEN, phoneNumberIds: [LINE] });
  const section = whatsappChannelSchema.parse({
    enabled: true,
    graphBaseUrl: fake.url,
    accessToken: TOKEN,
    appSecret: SECRET,
    numbers: [{ phoneNumberId: LINE }],
    webhook: { host: '127.0.0.1', port: 0, verifyToken: 'bench' },
  });
  const configDir = path.resolve(__dirname, '../../config');
  const base = loadConfig(configDir, { ...process.env, REDIS_URL, MONGODB_URL: '' });
  const prefix = `bench-wa-${process.pid}`;
  const config: AppConfig = {
    ...base,
    service: { ...base.service, dataDir: path.join(dir, 'data'), healthPort: 0 },
    redis: { url: REDIS_URL, prefix },
    store: { ...base.store, url: undefined },
    outbound: { ...base.outbound, mode: 'outbox', outboxDir: path.join(dir, 'outbox') },
    channels: { ...base.channels, whatsapp: section },
  };
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const team = new OutboxTransport(config.outbound.outboxDir, {
    address: config.outbound.fromAddress,
    name: config.outbound.fromName,
  });
  const service = await startService({
    config,
    configDir,
    log,
    transports: { citizen: createWhatsAppReplyTransports(section, log), team },
  });
  const url = (service.channels.find((c) => c.name === 'whatsapp') as WhatsAppWebhookIntake).url();
  const postedAt = new Map<string, number>();
  const answers: number[] = [];
  const latencies: number[] = [];
  const started = Date.now();
  try {
    const posts: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      const next = started + (i * 1000) / PER_SECOND;
      if (next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
      const waId = `62812${String(10_000_000 + i)}`;
      fake.citizenWrote(waId);
      const payload = messagesPayload([
        [
          {
            phoneNumberId: LINE,
            waId,
            wamid: `wamid.BENCH${process.pid}.${i}`,
            message: { type: 'text', text: { body: `Selamat siang, KTP-el saya (${i}) belum jadi. Mohon info.` } },
          },
        ],
      ]);
      const at = Date.now();
      postedAt.set(waId, at);
      posts.push(
        postSignedWebhook(url, payload, SECRET).then((status) => {
          if (status !== 200) throw new Error(`webhook answered ${status}`);
          answers.push(Date.now() - at);
        }),
      );
    }
    await Promise.all(posts);
    const deadline = Date.now() + 120_000;
    while (fake.sent.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const sent of fake.sent) {
      const at = postedAt.get(sent.to);
      if (at !== undefined) latencies.push(sent.at - at);
    }
  } finally {
    await service.stop();
    await Promise.all([fake.close(), deleteKeysWithPrefix(REDIS_URL, prefix)]);
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = latencies.sort((a, b) => a - b);
  const acks = answers.sort((a, b) => a - b);
  console.log(`whatsapp latency: ${N} webhooks at ${PER_SECOND}/s, ${sorted.length} initial responses sent`);
  console.log(
    `webhook POST → initial response accepted by the Cloud API: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted.at(-1) ?? NaN} ms`,
  );
  console.log(
    `webhook POST → 200: p50 ${percentile(acks, 50)} ms, p95 ${percentile(acks, 95)} ms, max ${acks.at(-1) ?? NaN} ms`,
  );
  if (sorted.length < N) {
    console.log(`MISSING: ${N - sorted.length} message(s) got no initial response within 120 s`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
