import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import type { PortalConfig } from './config-schema';
import { MessageWebhookTransport } from './message-webhook-transport';
import { PortalPollingIntake } from './polling-intake';
import { PortalWebhookIntake } from './webhook-intake';

export { portalChannelSchema, type PortalConfig } from './config-schema';
export { PortalPollingIntake } from './polling-intake';
export { PortalWebhookIntake } from './webhook-intake';
export { MessageWebhookTransport } from './message-webhook-transport';

export interface PortalChannelDeps {
  store: Store;
  log: Logger;
  alerts: AdminAlerts;
  /** service.timeZone; the portal's own `timeZone` wins. */
  timeZone: string;
  poison?: PoisonGuard;
}

/** The poller and/or the push receiver of one HTTP JSON source, as configured. */
export function createPortalChannels(portal: PortalConfig | undefined, deps: PortalChannelDeps): ChannelIntake[] {
  if (!portal?.enabled) return [];
  const timeZone = portal.timeZone ?? deps.timeZone;
  const channels: ChannelIntake[] = [];
  if (portal.poll) {
    channels.push(new PortalPollingIntake({ portal, poll: portal.poll, store: deps.store, alerts: deps.alerts, log: deps.log.child({ channel: portal.name }), timeZone, ...(deps.poison ? { poison: deps.poison } : {}) }));
  }
  if (portal.webhook.enabled) {
    channels.push(new PortalWebhookIntake({ portal, store: deps.store, log: deps.log.child({ channel: `${portal.name}-webhook` }), timeZone }));
  }
  return channels;
}

/** Replies on the portal (initial response, staff solutions) when a reply endpoint is configured. */
export function createPortalReplyTransport(portal: PortalConfig | undefined, log: Logger): Transport | undefined {
  if (!portal?.enabled || !portal.reply) return undefined;
  return new MessageWebhookTransport(`${portal.name} reply`, portal.reply, (v) => ({
    to: v.to, subject: v.subject, text: v.text, messageId: v.messageId, ticketNumber: v.ticketNumber, purpose: v.purpose,
  }), log.child({ channel: portal.name, stage: 'reply' }));
}
