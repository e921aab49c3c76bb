import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { ChannelDeps, ReplyTransports } from '../channel-module';
import type { ChannelIntake } from '../channel';
import { channelStateOf } from './channel-state';
import { CloudClient } from './cloud-client';
import type { WhatsAppConfig } from './config-schema';
import { MediaFetcher } from './media-fetcher';
import { NoTicketHandler } from './no-ticket';
import { OwedAnswers } from './owed-answers';
import { WhatsAppMetrics } from './metrics';
import path from 'node:path';
import { WhatsAppReplyTransport } from './reply-transport';
import type { OtherRoutes } from './other-route';
import { StatusRecorder } from './status-recorder';
import { WhatsAppWebhookIntake } from './webhook-intake';
import type { Logger } from '../../lib/logger';

export function cloudClientOf(section: WhatsAppConfig, outboundHttp?: OutboundHttpSettings): CloudClient {
  return new CloudClient({
    baseUrl: section.graphBaseUrl,
    version: section.graphVersion,
    accessToken: section.accessToken,
    timeoutMs: section.requestTimeoutMs,
    ...(outboundHttp ? { outboundHttp } : {}),
  });
}

/** The webhook receiver; it also hands the store and alerts to the section's reply transport. */
export function createWhatsAppIntakes(section: WhatsAppConfig, deps: ChannelDeps): ChannelIntake[] {
  const log = deps.log.child({ channel: 'whatsapp' });
  const state = channelStateOf(section);
  const metrics = new WhatsAppMetrics(deps.registry);
  Object.assign(state, { store: deps.store, alerts: deps.alerts, log, metrics });
  const client = cloudClientOf(section, deps.config.outboundHttp);
  const timeZone = deps.config.service.timeZone;
  return [
    new WhatsAppWebhookIntake({
      section,
      state,
      statuses: new StatusRecorder({ store: deps.store, alerts: deps.alerts, log }),
      noTicket: new NoTicketHandler({ store: deps.store, client, state, timeZone, log }),
      media: new MediaFetcher({
        section,
        client,
        store: deps.store,
        folder: path.resolve(deps.config.service.dataDir, 'attachments', 'whatsapp'),
        log,
        metrics,
      }),
      owed: new OwedAnswers({ store: deps.store, client, state, log }),
      opener: {
        store: deps.store,
        transports: deps.citizenTransports ?? {},
        timeZone,
        log: log.child({ stage: 'opener' }),
        ...(deps.config.survey.enabled ? { surveyLinkValidDays: deps.config.survey.linkValidDays } : {}),
      },
      log,
    }),
  ];
}

/** `otherRoutes`: the office's mail and the SMS gateway, for messages WhatsApp cannot carry. */
export function createWhatsAppReplyTransports(
  section: WhatsAppConfig,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
  otherRoutes: OtherRoutes = {},
): ReplyTransports {
  const state = channelStateOf(section);
  const client = cloudClientOf(section, outboundHttp);
  const childLog = log.child({ channel: 'whatsapp' });
  return { whatsapp: new WhatsAppReplyTransport({ section, client, state, log: childLog, otherRoutes }) };
}
