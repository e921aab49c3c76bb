import { simpleParser } from 'mailparser';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { metaChannelSchema, type MetaConfig } from '../../../src/channels/meta';
import { createMetaReplyTransports } from '../../../src/channels/meta/parts';
import type { MetaWebhookIntake } from '../../../src/channels/meta/webhook-intake';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { FakeGraphServer } from '../../support/fake-graph-server';
import { createTestEnv, outboxMessages, startTestService, waitFor, type TestEnv } from '../../support/service-harness';

export const PAGE_ID = '104000000000001';
export const IG_ID = '17841400000000000';
export const PAGE_TOKEN = 'EAAGtestPageToken0123456789';
export const APP_SECRET = 'test-app-secret-5f2c';
export const VERIFY_TOKEN = 'verify-token-dairi';

export const BUDI = { id: '7000000000000001', name: 'Budi Santoso' };
export const RINA = { id: '17841446739229368', username: 'rina_sidikalang' };

export interface MetaHarness {
  fake: FakeGraphServer;
  env: TestEnv;
  meta: MetaConfig;
  service: RunningService;
  webhookUrl(): string;
  tickets(): Promise<Ticket[]>;
  outbox(): string[];
  outboxText(file: string): string;
  /** Waits until the pollers made `passes` more conversation listings than now. */
  passes(passes: number): Promise<void>;
  /** Waits until a polling pass of this inbox completes (twice in a row: one that surely started after now). */
  passCompleted(channel: 'messenger' | 'instagram'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real service (Redis, SQLite, BullMQ workers, intake and effects stages) with the Meta channel
 * enabled from config and pointed at a loopback fake Graph server; citizen replies on messenger and
 * instagram go through the real Send API transport, team and admin mail to the test env's outbox.
 */
export async function startMetaHarness(
  options: {
    meta?: Record<string, unknown>;
    polling?: Record<string, unknown>;
    webhook?: boolean;
    before?: (fake: FakeGraphServer) => void;
    /** Changes to the rest of the config (e.g. sla.reopenWindowSeconds). */
    config?: (config: AppConfig) => AppConfig;
  } = {},
): Promise<MetaHarness> {
  const fake = await FakeGraphServer.start({
    pageId: PAGE_ID,
    igAccountId: IG_ID,
    accessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
  });
  options.before?.(fake);
  const meta = metaChannelSchema.parse({
    enabled: true,
    graphBaseUrl: fake.url,
    graphVersion: 'v24.0',
    requestTimeoutMs: 3000,
    pageId: PAGE_ID,
    pageAccessToken: PAGE_TOKEN,
    appSecret: APP_SECRET,
    instagram: { enabled: true, accountId: IG_ID },
    polling: {
      intervalMs: 150,
      callsPerSecond: 40,
      rateLimitPauseMs: 500,
      backfillHours: 48,
      authRecheckMinutes: 60,
      ...options.polling,
    },
    webhook: {
      enabled: options.webhook ?? false,
      host: '127.0.0.1',
      port: 0,
      path: '/webhooks/meta',
      verifyToken: VERIFY_TOKEN,
    },
    ...options.meta,
  });
  const tweak = options.config ?? ((config: AppConfig) => config);
  const env = createTestEnv((config) => tweak({ ...config, channels: { ...config.channels, meta } }));
  const outboxDir = env.config.outbound.outboxDir;
  const team = new OutboxTransport(outboxDir, {
    address: env.config.outbound.fromAddress,
    name: env.config.outbound.fromName,
  });
  const service = await startTestService(env, {
    channels: undefined,
    transports: { citizen: createMetaReplyTransports(meta, env.log), team },
  });
  const conversationListings = () =>
    fake.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/conversations') && !c.query.user_id).length;
  return {
    fake,
    env,
    meta,
    service,
    webhookUrl: () => (service.channels.find((c) => c.name === 'meta-webhook') as MetaWebhookIntake).url(),
    tickets: () => service.store.listTickets({}),
    outbox: () => outboxMessages(outboxDir),
    outboxText: (file) => readFileSync(path.join(outboxDir, file), 'utf8'),
    passes: async (passes) => {
      const target = conversationListings() + passes;
      await waitFor(async () => conversationListings() >= target, 10_000, `${passes} more polling passes`);
    },
    passCompleted: async (channel) => {
      const since = Date.now();
      await waitFor(
        async () => {
          const health = service.channels.find((c) => c.name === channel)?.health();
          return health?.lastSuccessAt !== undefined && Date.parse(health.lastSuccessAt) > since;
        },
        10_000,
        `a completed ${channel} pass`,
      );
    },
    stop: async () => {
      await service.stop();
      await fake.close();
      // Nothing secret ever reaches the log.
      const log = env.logLines.join('\n');
      await env.cleanup();
      if (log.includes(PAGE_TOKEN) || log.includes(APP_SECRET)) throw new Error('a secret was logged');
    },
  };
}

/** Quoted-printable mail bodies wrap lines; this undoes it for text assertions. */
/** Recipients, subject and body of an outbox .eml, decoded whatever transfer encoding it used. */
export async function decodeMail(raw: string): Promise<string> {
  const parsed = await simpleParser(raw);
  const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
  return `To: ${to}\nSubject: ${parsed.subject ?? ''}\n\n${parsed.text ?? ''}`;
}
