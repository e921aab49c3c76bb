import type { Logger } from '../../lib/logger';
import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import { MessageWebhookTransport } from '../portal/message-webhook-transport';
import type { CallCenterConfig } from './config-schema';
import { CallCenterLogIntake } from './log-watcher';

export { callCenterChannelSchema, type CallCenterConfig } from './config-schema';
export { CallCenterLogIntake } from './log-watcher';

export function createCallCenterChannels(config: CallCenterConfig | undefined, deps: { store: Store; log: Logger; alerts: AdminAlerts; timeZone: string }): ChannelIntake[] {
  if (!config?.enabled) return [];
  return [new CallCenterLogIntake({ config, store: deps.store, alerts: deps.alerts, timeZone: deps.timeZone, log: deps.log.child({ channel: config.name }) })];
}

/**
 * The initial response by SMS/WhatsApp through the configured gateway ({to, text}); none without a
 * gateway, and the ticket then notes that the agent answered on the phone.
 */
export function createCallCenterReplyTransport(
  config: CallCenterConfig | undefined, log: Logger, outboundHttp?: OutboundHttpSettings,
): Transport | undefined {
  if (!config?.enabled || !config.gateway) return undefined;
  const body = (v: { to: string; text: string }) => ({ to: v.to, text: v.text });
  const childLog = log.child({ channel: config.name, stage: 'reply' });
  const network = outboundHttp ? { settings: outboundHttp } : {};
  return new MessageWebhookTransport(`${config.name} gateway`, config.gateway, body, childLog, network);
}
