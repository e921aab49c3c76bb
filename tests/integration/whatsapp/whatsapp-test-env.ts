import { readFileSync } from 'node:fs';
import path from 'node:path';
import { whatsappChannelSchema, type WhatsAppConfig } from '../../../src/channels/whatsapp';
import { createWhatsAppReplyTransports } from '../../../src/channels/whatsapp/parts';
import type { WhatsAppWebhookIntake } from '../../../src/channels/whatsapp/webhook-intake';
import type { OtherRoutes } from '../../../src/channels/whatsapp/other-route';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { FakeWhatsAppServer, postSignedWebhook } from '../../support/fake-whatsapp-server';
import { createTestEnv, outboxMessages, startTestService, type TestEnv } from '../../support/service-harness';

export const LINE_1 = '106540352242922';
export const LINE_2 = '106540352242923';
export const TOKEN = 'EAAwhatsappSystemUserToken0123456789';
export const APP_SECRET = 'whatsapp-app-secret-7d1e';
export const VERIFY_TOKEN = 'verify-wa-dairi';

export interface WhatsAppHarness {
  fake: FakeWhatsAppServer;
  env: TestEnv;
  section: WhatsAppConfig;
  service: RunningService;
  webhookUrl(): string;
  post(payload: unknown): Promise<number>;
  tickets(): Promise<Ticket[]>;
  outbox(): string[];
  outboxText(file: string): string;
  stop(): Promise<void>;
}

/**
 * The real service (Redis, SQLite, BullMQ workers) with the WhatsApp channel enabled from config, its
 * webhook receiver on a loopback port and its replies going to the loopback fake Cloud API.
 */
export async function startWhatsAppHarness(
  options: {
    templates?: Record<string, unknown>;
    approved?: string[];
    /** The citizen's email / SMS routes for what WhatsApp cannot carry. */
    otherRoutes?: OtherRoutes;
    /** More of the service's config (another channel, say). */
    tweak?: (config: AppConfig) => AppConfig;
    section?: Record<string, unknown>;
  } = {},
) {
  const fake = await FakeWhatsAppServer.start({
    accessToken: TOKEN,
    phoneNumberIds: [LINE_1, LINE_2],
    templates: options.approved ?? ['aduan_jawaban_siap', 'aduan_diterima'],
  });
  const section = whatsappChannelSchema.parse({
    enabled: true,
    graphBaseUrl: fake.url,
    requestTimeoutMs: 3000,
    accessToken: TOKEN,
    appSecret: APP_SECRET,
    numbers: [
      { phoneNumberId: LINE_1, displayPhoneNumber: '0812-3238-3434' },
      { phoneNumberId: LINE_2, displayPhoneNumber: '0812-3238-8383' },
    ],
    webhook: { host: '127.0.0.1', port: 0, verifyToken: VERIFY_TOKEN, maxBodyBytes: 64 * 1024 },
    templates: options.templates ?? {},
    media: { retryDelaysMs: [100, 200, 400] },
    ...options.section,
  });
  const tweak = options.tweak ?? ((c: AppConfig) => c);
  const env = createTestEnv((config) => tweak({ ...config, channels: { ...config.channels, whatsapp: section } }));
  const outboxDir = env.config.outbound.outboxDir;
  const team = new OutboxTransport(outboxDir, {
    address: env.config.outbound.fromAddress,
    name: env.config.outbound.fromName,
  });
  const service = await startTestService(env, {
    channels: undefined,
    transports: {
      citizen: createWhatsAppReplyTransports(section, env.log, undefined, options.otherRoutes),
      team,
    },
  });
  const webhookUrl = () => (service.channels.find((c) => c.name === 'whatsapp') as WhatsAppWebhookIntake).url();
  const harness: WhatsAppHarness = {
    fake,
    env,
    section,
    service,
    webhookUrl,
    post: (payload) => postSignedWebhook(webhookUrl(), payload, APP_SECRET),
    tickets: () => service.store.listTickets({}),
    outbox: () => outboxMessages(outboxDir),
    outboxText: (file) => readFileSync(path.join(outboxDir, file), 'utf8'),
    stop: async () => {
      await service.stop();
      await fake.close();
      const log = env.logLines.join('\n');
      await env.cleanup();
      if (log.includes(TOKEN) || log.includes(APP_SECRET)) throw new Error('a secret was logged');
    },
  };
  return harness;
}
