import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChannelModule } from '../channel-module';
import type { WhatsAppConfig } from './config-schema';

export { whatsappChannelSchema, type WhatsAppConfig } from './config-schema';

/** The office's WhatsApp numbers over the WhatsApp Business Cloud API (webhook in, Cloud API out). */
export const whatsappChannel: ChannelModule<WhatsAppConfig> = {
  configOf: (config) => config.channels.whatsapp,
  async intakes(section, deps) {
    const { createWhatsAppIntakes } = await import('./parts');
    return createWhatsAppIntakes(section, deps);
  },
  async replyTransports(section, { config, log }) {
    if (!section?.enabled) return {};
    const { createWhatsAppReplyTransports } = await import('./parts');
    return createWhatsAppReplyTransports(section, log, config.outboundHttp);
  },
  async feedDemo({ samplesDir, sink, log, store, alerts, config }) {
    const folder = path.join(samplesDir, 'whatsapp');
    if (!existsSync(folder)) return;
    const { feedWhatsAppWebhooks } = await import('./demo-feed');
    await feedWhatsAppWebhooks(folder, sink, { log, store, alerts, config });
  },
};
