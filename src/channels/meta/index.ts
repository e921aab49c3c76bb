import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChannelModule } from '../channel-module';
import type { MetaConfig } from './config-schema';

export { metaChannelSchema, type MetaConfig } from './config-schema';

/**
 * Facebook Messenger and the linked Instagram inbox over the Graph API. The Graph client (axios) is
 * loaded only when the config uses the channel.
 */
export const metaChannel: ChannelModule<MetaConfig> = {
  configOf: (config) => config.channels.meta,
  async intakes(section, deps) {
    const { createMetaChannels } = await import('./parts');
    return createMetaChannels(section, {
      ...deps,
      outboundHttp: deps.config.outboundHttp,
      timeZone: deps.config.service.timeZone,
      attachmentsFolder: path.resolve(deps.config.service.dataDir, 'attachments', 'meta'),
      ...(deps.config.survey.enabled ? { surveyLinkValidDays: deps.config.survey.linkValidDays } : {}),
    });
  },
  async replyTransports(section, { config, log }) {
    if (!section?.enabled) return {};
    const { createMetaReplyTransports } = await import('./parts');
    return createMetaReplyTransports(section, log, config.outboundHttp);
  },
  async feedDemo({ samplesDir, sink, log }) {
    const folder = path.join(samplesDir, 'meta');
    if (!existsSync(folder)) return;
    const { feedMetaWebhooks } = await import('./demo-feed');
    await feedMetaWebhooks(folder, sink, { log });
  },
};
