import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../lib/logger';
import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import type { ChannelModule } from '../channel-module';
import { MessageWebhookTransport } from '../shared/message-webhook-transport';
import type { PortalConfig } from './config-schema';
import { feedPortalWebhook } from './demo-feed';
import { PortalPollingIntake } from './polling-intake';
import { PortalWebhookIntake } from './webhook-intake';

export { portalChannelSchema, type PortalConfig } from './config-schema';
export { PortalPollingIntake } from './polling-intake';
export { PortalWebhookIntake } from './webhook-intake';

export interface PortalChannelDeps {
  store: Store;
  log: Logger;
  alerts: AdminAlerts;
  /** service.timeZone; the portal's own `timeZone` wins. */
  timeZone: string;
  /** `outboundHttp` of the config. */
  outboundHttp?: OutboundHttpSettings;
  poison?: PoisonGuard;
}

/** The poller and/or the push receiver of one HTTP JSON source, as configured. */
export function createPortalChannels(portal: PortalConfig | undefined, deps: PortalChannelDeps): ChannelIntake[] {
  if (!portal?.enabled) return [];
  const timeZone = portal.timeZone ?? deps.timeZone;
  const channels: ChannelIntake[] = [];
  if (portal.poll) {
    channels.push(
      new PortalPollingIntake({
        portal,
        poll: portal.poll,
        store: deps.store,
        alerts: deps.alerts,
        timeZone,
        log: deps.log.child({ channel: portal.name }),
        ...(deps.outboundHttp ? { outboundHttp: deps.outboundHttp } : {}),
        ...(deps.poison ? { poison: deps.poison } : {}),
        // A source never polled before is imported as history (docs/importing-history.md).
        firstRead: true,
      }),
    );
  }
  if (portal.webhook.enabled) {
    channels.push(
      new PortalWebhookIntake({
        portal,
        store: deps.store,
        log: deps.log.child({ channel: `${portal.name}-webhook` }),
        timeZone,
      }),
    );
  }
  return channels;
}

/** Replies on the portal (initial response, staff solutions) when a reply endpoint is configured. */
export function createPortalReplyTransport(
  portal: PortalConfig | undefined,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
): Transport | undefined {
  if (!portal?.enabled || !portal.reply) return undefined;
  return new MessageWebhookTransport(
    `${portal.name} reply`,
    portal.reply,
    (v) => ({
      to: v.to,
      subject: v.subject,
      text: v.text,
      messageId: v.messageId,
      ticketNumber: v.ticketNumber,
      purpose: v.purpose,
    }),
    log.child({ channel: portal.name, stage: 'reply' }),
    outboundHttp ? { settings: outboundHttp } : {},
  );
}

/** `channels.perkebbas`: any HTTP JSON source (poller, signed push receiver, reply endpoint). */
export const portalChannel: ChannelModule<PortalConfig> = {
  configOf: (config) => config.channels.perkebbas,
  intakes: async (section, { config, store, log, alerts, poison }) =>
    createPortalChannels(section, {
      store,
      log,
      alerts,
      poison,
      timeZone: config.service.timeZone,
      outboundHttp: config.outboundHttp,
    }),
  async replyTransports(section, { config, log }) {
    const reply = createPortalReplyTransport(section, log, config.outboundHttp);
    return reply && section ? { [section.channel]: reply } : {};
  },
  async feedDemo({ samplesDir, config, store, sink, log }) {
    const file = path.join(samplesDir, 'perkebbas', 'records.json');
    const portal = config.channels.perkebbas;
    if (!existsSync(file) || !portal) return;
    await feedPortalWebhook(portal, file, { sink, store, log, timeZone: config.service.timeZone });
  },
};
