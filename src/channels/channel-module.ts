import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/schema';
import type { ChannelKey } from '../domain/channels';
import type { Logger } from '../lib/logger';
import type { AdminAlerts } from '../ops/admin-alerts';
import type { Transport } from '../outbound/message';
import type { ReplyBudget } from '../outbound/reply-budget';
import type { ComplaintSink } from './complaint-sink';
import type { Store } from '../store/store';
import type { ChannelIntake } from './channel';
import type { PoisonGuard } from './poison-guard';
import type { Clock } from '../domain/clock';

/** What a channel adapter may use; adapters get only these, never the pipeline internals. */
export interface ChannelDeps {
  config: AppConfig;
  store: Store;
  log: Logger;
  alerts: AdminAlerts;
  /** One guard for every reader with a cursor: a message that keeps failing is quarantined, not re-read forever. */
  poison: PoisonGuard;
  /** How messages reach citizens on their channel (a chat channel's prompt goes the same way as every reply). */
  citizenTransports?: ReplyTransports;
  /** The service's time; readers use it for first-read decisions. Default the system clock. */
  clock?: Clock;
  /** The service's /metrics registry, for a channel's own counters (absent in the demo and some tests). */
  registry?: Registry;
}

export interface ReplyDeps {
  config: AppConfig;
  log: Logger;
  /** The office's own mail transport (SMTP in live mode). */
  mail: Transport;
}

/** The demo: a running service's sink and the folder of samples (`samples/<channel>/…`). */
export interface DemoDeps extends Omit<ChannelDeps, 'poison'> {
  sink: ComplaintSink;
  samplesDir: string;
}

export type ReplyTransports = Partial<Record<ChannelKey, Transport>>;

/**
 * One channel, as every channel folder exports it; `registry.ts` lists them all. The wiring (main.ts,
 * the demo) loops over that list and knows no channel by name. Modules that bring heavy dependencies
 * (imapflow, axios) load them inside these functions, only when the config uses the channel.
 */
export interface ChannelModule<Section extends { enabled: boolean }> {
  /** The channel's section of the config; absent or not enabled: no intakes. */
  configOf(config: AppConfig): Section | undefined;
  /** The readers (pollers, push receivers, folder watchers) an enabled section asks for. */
  intakes(section: Section, deps: ChannelDeps): Promise<ChannelIntake[]>;
  /** Live mode: how replies to citizens go out, keyed by the channel they answer (section may be absent). */
  replyTransports(section: Section | undefined, deps: ReplyDeps): Promise<ReplyTransports>;
  /** Budgets of automatic replies, keyed by the channel they answer, asked when one is about to go; absent: none. */
  replyBudgets?(
    section: Section | undefined,
    deps: { config: AppConfig; store: Store },
  ): Partial<Record<ChannelKey, ReplyBudget>>;
  /** The demo feeds its samples through the channel's real adapter; absent: the channel has no samples. */
  feedDemo?(deps: DemoDeps): Promise<void>;
}
