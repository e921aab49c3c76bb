import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../lib/logger';
import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { Clock } from '../../domain/clock';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import type { ChannelModule, ReplyTransports } from '../channel-module';
import { MessageWebhookTransport } from '../shared/message-webhook-transport';
import type { PortalConfig } from './config-schema';
import { feedPortalWebhook } from './demo-feed';
import { PortalPollingIntake } from './polling-intake';
import { PortalWebhookIntake } from './webhook-intake';
import { configuredHttpSources, enabledHttpSources } from './sources';

export { portalChannelSchema, type PortalConfig } from './config-schema';
export { PortalPollingIntake } from './polling-intake';
export { PortalWebhookIntake } from './webhook-intake';
export { configuredHttpSources, enabledHttpSources, sourceKey } from './sources';

export interface PortalChannelDeps {
  store: Store;
  log: Logger;
  alerts: AdminAlerts;
  /** service.timeZone; the portal's own `timeZone` wins. */
  timeZone: string;
  /** `outboundHttp` of the config. */
  outboundHttp?: OutboundHttpSettings;
  poison?: PoisonGuard;
  clock?: Clock;
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
        ...(deps.clock ? { clock: deps.clock } : {}),
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

/** What the registry hands around: every configured HTTP JSON source, enabled when any of them is. */
export interface HttpSources {
  enabled: boolean;
  sources: PortalConfig[];
}

/**
 * `channels.http` (and the older single `channels.perkebbas`): one registry entry, N sources, each
 * with its own poller and/or push receiver, cursor, health name and reply endpoint.
 */
export const portalChannel: ChannelModule<HttpSources> = {
  configOf: (config) => {
    if (configuredHttpSources(config.channels).length === 0) return undefined;
    const sources = enabledHttpSources(config.channels);
    return { enabled: sources.length > 0, sources };
  },
  intakes: async (section, { config, store, log, alerts, poison, clock }) =>
    section.sources.flatMap((source) =>
      createPortalChannels(source, {
        store,
        log,
        alerts,
        poison,
        ...(clock ? { clock } : {}),
        timeZone: config.service.timeZone,
        outboundHttp: config.outboundHttp,
      }),
    ),
  async replyTransports(section, { config, log }) {
    const transports: ReplyTransports = {};
    for (const source of section?.sources ?? []) {
      const reply = createPortalReplyTransport(source, log, config.outboundHttp);
      if (reply) transports[source.channel] = reply;
    }
    return transports;
  },
  /** Each source's samples, `samples/<source name>/records.json`, pushed through its real receiver. */
  async feedDemo({ samplesDir, config, store, sink, log }) {
    for (const { source } of configuredHttpSources(config.channels)) {
      const file = path.join(samplesDir, source.name, 'records.json');
      if (!existsSync(file)) continue;
      await feedPortalWebhook(source, file, { sink, store, log, timeZone: config.service.timeZone });
    }
  },
};
