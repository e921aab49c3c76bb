import type { Logger } from '../../lib/logger';
import type { OutboundHttpSettings } from '../../net/outbound-http';
import type { MetaConfig } from './config-schema';
import { GraphClient } from './graph-client';
import type { AccountRef } from './normalize';
import { RateGate } from './rate-gate';

/** One Graph account we read and answer: the Page's Messenger inbox or the linked Instagram inbox. */
export interface MetaAccount extends AccountRef {
  /** Both inboxes are read and answered through the Page's endpoints with the Page token. */
  pageId: string;
  /** Name in Bahasa Indonesia texts (alerts, notes). */
  label: string;
}

/** Instagram gives the details of a conversation's 20 newest messages only. */
export const INSTAGRAM_READABLE_MESSAGES = 20;

export function metaAccounts(meta: MetaConfig): MetaAccount[] {
  const accounts: MetaAccount[] = [];
  if (meta.messenger.enabled)
    accounts.push({ channel: 'messenger', ownId: meta.pageId, pageId: meta.pageId, label: 'Facebook Messenger' });
  if (meta.instagram.enabled)
    accounts.push({ channel: 'instagram', ownId: meta.instagram.accountId, pageId: meta.pageId, label: 'Instagram' });
  return accounts;
}

/**
 * Which of Meta's limits a call counts against: conversation reads (2 calls/s per account) or the Send
 * API (hundreds per second). Separate budgets, so a reply never queues behind the poller's reads.
 */
export type GraphBudget = 'read' | 'send';

/**
 * Meta's limits are per account, so the poller and the reply transport of one account share one
 * gate per budget. Kept per config object (not per process): two services with their own config never share.
 */
const gatesByConfig = new WeakMap<MetaConfig, Map<string, RateGate>>();

export function rateGateFor(meta: MetaConfig, account: MetaAccount, budget: GraphBudget = 'read'): RateGate {
  let gates = gatesByConfig.get(meta);
  if (!gates) gatesByConfig.set(meta, (gates = new Map()));
  const key = `${account.channel}:${budget}`;
  let gate = gates.get(key);
  if (!gate) {
    gate = new RateGate({
      callsPerSecond: budget === 'send' ? meta.sending.callsPerSecond : meta.polling.callsPerSecond,
      slowDownAtPercent: meta.polling.slowDownAtPercent,
      pauseBaseMs: meta.polling.rateLimitPauseMs,
      pauseMaxMs: meta.polling.maxRateLimitPauseMs,
    });
    gates.set(key, gate);
  }
  return gate;
}

export function graphClientFor(
  meta: MetaConfig,
  account: MetaAccount,
  log: Logger,
  outboundHttp?: OutboundHttpSettings,
  budget: GraphBudget = 'read',
): GraphClient {
  return new GraphClient(
    {
      baseUrl: meta.graphBaseUrl,
      version: meta.graphVersion,
      accessToken: meta.pageAccessToken,
      ...(meta.appSecret ? { appSecret: meta.appSecret } : {}),
      timeoutMs: meta.requestTimeoutMs,
      ...(outboundHttp ? { outboundHttp } : {}),
    },
    rateGateFor(meta, account, budget),
    log,
  );
}
