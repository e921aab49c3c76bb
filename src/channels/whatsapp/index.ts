import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChannelModule } from '../channel-module';
import { smsGatewayTransport } from '../shared/sms-gateway';
import type { WhatsAppConfig } from './config-schema';

export { whatsappChannelSchema, type WhatsAppConfig } from './config-schema';

/** The office's WhatsApp numbers over the WhatsApp Business Cloud API (webhook in, Cloud API out). */
export const whatsappChannel: ChannelModule<WhatsAppConfig> = {
  configOf: (config) => config.channels.whatsapp,
  async intakes(section, deps) {
    const { createWhatsAppIntakes } = await import('./parts');
    return createWhatsAppIntakes(section, deps);
  },
  async replyTransports(section, { config, log, mail }) {
    if (!section?.enabled) return {};
    const { createWhatsAppReplyTransports } = await import('./parts');
    // What WhatsApp cannot carry goes to the citizen's email (the office's mail) or by the call-center's SMS gateway.
    const sms = smsGatewayTransport(config.channels.callCenter, log, config.outboundHttp);
    return createWhatsAppReplyTransports(section, log, config.outboundHttp, { mail, ...(sms ? { sms } : {}) });
  },
  async feedDemo({ samplesDir, sink, log, store, alerts, config }) {
    const folder = path.join(samplesDir, 'whatsapp');
    if (!existsSync(folder)) return;
    const { feedWhatsAppWebhooks } = await import('./demo-feed');
    await feedWhatsAppWebhooks(folder, sink, { log, store, alerts, config });
  },
};
