import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import { MessageWebhookTransport } from '../portal/message-webhook-transport';
import type { CallCenterConfig } from './config-schema';
import { CallCenterLogIntake } from './log-watcher';

export { callCenterChannelSchema, type CallCenterConfig } from './config-schema';
export { CallCenterLogIntake } from './log-watcher';

export function createCallCenterChannels(config: CallCenterConfig | undefined, deps: { store: Store; log: Logger; alerts: AdminAlerts; timeZone: string; poison?: PoisonGuard }): ChannelIntake[] {
  if (!config?.enabled) return [];
  return [new CallCenterLogIntake({ config, store: deps.store, alerts: deps.alerts, timeZone: deps.timeZone, log: deps.log.child({ channel: config.name }), ...(deps.poison ? { poison: deps.poison } : {}) })];
}

/**
 * The initial response by SMS/WhatsApp through the configured gateway ({to, text}); none without a
 * gateway, and the ticket then notes that the agent answered on the phone.
 */
export function createCallCenterReplyTransport(config: CallCenterConfig | undefined, log: Logger): Transport | undefined {
  if (!config?.enabled || !config.gateway) return undefined;
  return new MessageWebhookTransport(`${config.name} gateway`, config.gateway, (v) => ({ to: v.to, text: v.text }), log.child({ channel: config.name, stage: 'reply' }));
}
