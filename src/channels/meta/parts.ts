import type { ChannelKey } from '../../domain/channels';
import type { Logger } from '../../lib/logger';
import { isLoopbackHost, type OutboundHttpSettings } from '../../net/outbound-http';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Transport } from '../../outbound/message';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import type { ReplyTransports } from '../channel-module';
import type { PoisonGuard } from '../poison-guard';
import { graphClientFor, metaAccounts, rateGateFor } from './accounts';
import type { MetaConfig } from './config-schema';
import { CredentialGuard } from './credential-guard';
import { inboundClockFor } from './inbound-clock';
import { MetaPollingIntake } from './polling-intake';
import { MetaReplyTransport } from './reply-transport';
import { MetaWebhookIntake } from './webhook-intake';

/** The pollers of every enabled inbox, plus the webhook receiver when configured. */
export function createMetaChannels(
  meta: MetaConfig,
  deps: {
    store: Store;
    log: Logger;
    alerts: AdminAlerts;
    poison: PoisonGuard;
    outboundHttp?: OutboundHttpSettings;
    citizenTransports?: ReplyTransports;
    timeZone?: string;
    /** Where citizens' files are stored (<dataDir>/attachments/meta); absent: files are only described. */
    attachmentsFolder?: string;
    /** The survey is on: replies to an open invitation are never held as chatter (see conversation-opener). */
    surveyLinkValidDays?: number;
  },
): ChannelIntake[] {
  if (!meta.enabled) return [];
  const accounts = metaAccounts(meta);
  const opener = {
    store: deps.store,
    transports: deps.citizenTransports ?? {},
    timeZone: deps.timeZone ?? 'Asia/Jakarta',
    log: deps.log.child({ channel: 'meta', stage: 'opener' }),
    ...(deps.surveyLinkValidDays !== undefined ? { surveyLinkValidDays: deps.surveyLinkValidDays } : {}),
  };
  const download = deps.attachmentsFolder
    ? {
        folder: deps.attachmentsFolder,
        loopbackAllowed: isLoopbackHost(new URL(meta.graphBaseUrl).hostname),
        ...(deps.outboundHttp ? { outboundHttp: deps.outboundHttp } : {}),
        log: deps.log.child({ channel: 'meta', stage: 'attachments' }),
      }
    : undefined;
  const credentials = new CredentialGuard(
    meta.pageId,
    deps.alerts,
    deps.log.child({ channel: 'meta' }),
    meta.polling.authRecheckMinutes,
  );
  const channels: ChannelIntake[] = accounts.map((account) => {
    const log = deps.log.child({ channel: account.channel });
    return new MetaPollingIntake({
      account,
      client: graphClientFor(meta, account, log, deps.outboundHttp),
      gate: rateGateFor(meta, account),
      credentials,
      store: deps.store,
      polling: meta.polling,
      log,
      poison: deps.poison,
      inbound: inboundClockFor(meta),
      opener,
      ...(download ? { download } : {}),
    });
  });
  if (meta.webhook.enabled) {
    channels.push(
      new MetaWebhookIntake({
        webhook: meta.webhook,
        appSecret: meta.appSecret,
        accounts,
        log: deps.log.child({ channel: 'meta-webhook' }),
        inbound: inboundClockFor(meta),
        opener,
        appId: meta.appId,
        inboxAppIds: meta.inboxAppIds,
        ...(download ? { download } : {}),
      }),
    );
  }
  return channels;
}

/** Send API transports for the enabled inboxes; none when the channel is off. */
export function createMetaReplyTransports(
  meta: MetaConfig | undefined,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
): Partial<Record<ChannelKey, Transport>> {
  if (!meta?.enabled) return {};
  return Object.fromEntries(
    metaAccounts(meta).map((account) => {
      const childLog = log.child({ channel: account.channel, stage: 'reply' });
      const transport = new MetaReplyTransport({
        account,
        client: graphClientFor(meta, account, childLog, outboundHttp),
        sender: graphClientFor(meta, account, childLog, outboundHttp, 'send'),
        inbound: inboundClockFor(meta),
        humanAgentTagApproved: meta.humanAgentTagApproved,
        log: childLog,
      });
      return [account.channel, transport];
    }),
  );
}
