import type { Logger } from '../../lib/logger';
import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { Transport } from '../../outbound/message';
import type { MessageWebhookConfig } from './message-webhook-schema';
import { MessageWebhookTransport } from './message-webhook-transport';

/**
 * The SMS/WhatsApp gateway configured on the call-center channel ({to, text} POSTed): the call-center's
 * initial response, and the WhatsApp channel's other route to a citizen. None when the call-center channel
 * is off or has no gateway.
 */
export function smsGatewayTransport(
  section: { enabled: boolean; name: string; gateway?: MessageWebhookConfig | undefined } | undefined,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
): Transport | undefined {
  if (!section?.enabled || !section.gateway) return undefined;
  const body = (v: { to: string; text: string }) => ({ to: v.to, text: v.text });
  const childLog = log.child({ channel: section.name, stage: 'reply' });
  const network = outboundHttp ? { settings: outboundHttp } : {};
  return new MessageWebhookTransport(`${section.name} gateway`, section.gateway, body, childLog, network);
}
