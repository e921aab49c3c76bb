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
import type { Clock } from '../../domain/clock';
import { smsGatewayTransport } from '../shared/sms-gateway';
import type { CallCenterConfig } from './config-schema';
import { CallCenterLogIntake } from './log-watcher';

export { callCenterChannelSchema, type CallCenterConfig } from './config-schema';
export { CallCenterLogIntake } from './log-watcher';

export function createCallCenterChannels(
  config: CallCenterConfig | undefined,
  deps: { store: Store; log: Logger; alerts: AdminAlerts; timeZone: string; poison?: PoisonGuard; clock?: Clock },
): ChannelIntake[] {
  if (!config?.enabled) return [];
  return [
    new CallCenterLogIntake({
      config,
      store: deps.store,
      alerts: deps.alerts,
      timeZone: deps.timeZone,
      log: deps.log.child({ channel: config.name }),
      ...(deps.poison ? { poison: deps.poison } : {}),
      // A folder the service has never read is imported as history (docs/importing-history.md).
      firstRead: true,
      ...(deps.clock ? { clock: deps.clock } : {}),
    }),
  ];
}

/**
 * The initial response by SMS/WhatsApp through the configured gateway ({to, text}); none without a
 * gateway, and the ticket then notes that the agent answered on the phone.
 */
export function createCallCenterReplyTransport(
  config: CallCenterConfig | undefined,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
): Transport | undefined {
  return smsGatewayTransport(config, log, outboundHttp);
}

/** `channels.callCenter`: the agents' call logs in a watched folder; replies through an optional gateway. */
export const callCenterChannel: ChannelModule<CallCenterConfig> = {
  configOf: (config) => config.channels.callCenter,
  intakes: async (section, { config, store, log, alerts, poison, clock }) =>
    createCallCenterChannels(section, {
      store,
      log,
      alerts,
      timeZone: config.service.timeZone,
      poison,
      ...(clock ? { clock } : {}),
    }),
  async replyTransports(section, { config, log }) {
    // Without a gateway call-center tickets get no automatic reply: the agent already answered on the phone.
    const reply = createCallCenterReplyTransport(section, log, config.outboundHttp);
    return reply ? { 'call-center': reply } : {};
  },
  /** An agent's log from `samples/callcenter/` through the real watcher, scanned once. */
  async feedDemo({ samplesDir, config, store, sink, log, alerts }) {
    const folder = path.join(samplesDir, 'callcenter');
    const callCenter = config.channels.callCenter;
    if (!existsSync(folder) || !callCenter) return;
    const watcher = new CallCenterLogIntake({
      config: { ...callCenter, enabled: true, folder },
      store,
      log,
      timeZone: config.service.timeZone,
      alerts,
    });
    await watcher.start(sink);
    await watcher.scanNow();
    await watcher.stop();
  },
};
