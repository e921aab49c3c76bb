import { backoffDelay, sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import type { MetaAccount } from './accounts';
import type { MetaConfig } from './config-schema';
import { openingConversations, type ConversationOpenerDeps } from '../shared/conversation-opener';
import type { AttachmentDownloadOptions } from './attachment-download';
import { notingInbound, type InboundClock } from './inbound-clock';
import { pollAccountOnce } from './conversation-poller';
import type { CredentialGuard } from './credential-guard';
import type { GraphClient } from './graph-client';
import { graphErrorOf } from './graph-errors';
import type { RateGate } from './rate-gate';

export interface MetaPollingDeps {
  account: MetaAccount;
  client: GraphClient;
  gate: RateGate;
  credentials: CredentialGuard;
  store: Store;
  polling: MetaConfig['polling'];
  log: Logger;
  poison: PoisonGuard;
  /** Noted with each citizen message taken in (the reply transports' 24-hour window). */
  inbound?: InboundClock;
  /** Keeps messages with nothing to classify until the conversation has content. */
  opener?: ConversationOpenerDeps;
  download?: AttachmentDownloadOptions;
}

const MAX_ERROR_BACKOFF_MS = 15 * 60_000;

/**
 * Polls one inbox (Messenger or Instagram) pass after pass. A rate limit waits out the account's
 * pause; a token or permission error stops the channel (failed in /healthz, one admin alert) and only
 * tries again every `authRecheckMinutes`; other errors back off exponentially. Never a busy loop.
 */
export class MetaPollingIntake implements ChannelIntake {
  readonly name: string;
  private readonly tracker: HealthTracker;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private consecutiveErrors = 0;
  /** Set while waiting out a token failure, so the wait happens once per recheck. */
  private parkedForAuth = false;

  constructor(private readonly deps: MetaPollingDeps) {
    this.name = deps.account.channel;
    this.tracker = new HealthTracker(this.name);
  }

  async start(sink: ComplaintSink): Promise<void> {
    const opened = this.deps.opener ? openingConversations(sink, this.deps.opener) : sink;
    this.loop = this.run(this.deps.inbound ? notingInbound(opened, this.deps.inbound) : opened);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }

  private async run(sink: ComplaintSink): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      const delay = await this.cycle(sink);
      await sleep(delay, signal);
    }
  }

  /** One pass; returns how long to wait before the next. */
  private async cycle(sink: ComplaintSink): Promise<number> {
    const { account, credentials, gate, polling, log } = this.deps;
    const recheckMs = polling.authRecheckMinutes * 60_000;
    const tokenProblem = credentials.failedReason();
    if (tokenProblem && !this.parkedForAuth) {
      this.parkedForAuth = true;
      this.tracker.failure(tokenProblem, 'failed');
      return recheckMs;
    }
    this.parkedForAuth = false;
    try {
      const { submitted } = await pollAccountOnce({
        account,
        client: this.deps.client,
        store: this.deps.store,
        sink,
        log,
        poison: this.deps.poison,
        pageSize: polling.pageSize,
        backfillHours: polling.backfillHours,
        signal: this.abort.signal,
        ...(this.deps.download ? { download: this.deps.download } : {}),
      });
      await credentials.recovered();
      this.consecutiveErrors = 0;
      this.tracker.success(submitted);
      if (submitted > 0) log.info({ submitted }, 'new messages taken in');
      return Math.max(polling.intervalMs, gate.pausedForMs());
    } catch (error) {
      if (this.abort.signal.aborted) return 0;
      const graph = graphErrorOf(error);
      if (graph?.kind === 'auth') {
        await credentials.report(error, account.label);
        this.parkedForAuth = true;
        this.tracker.failure(error, 'failed');
        return recheckMs;
      }
      if (graph?.kind === 'rate-limit') {
        const pauseMs = gate.pausedForMs();
        log.warn({ pauseMs, code: graph.code }, 'rate limited; polling paused');
        this.tracker.failure(error, 'degraded');
        return Math.max(polling.intervalMs, pauseMs);
      }
      this.consecutiveErrors += 1;
      const delay = backoffDelay(
        this.consecutiveErrors,
        polling.intervalMs,
        Math.max(polling.intervalMs, MAX_ERROR_BACKOFF_MS),
      );
      log.warn({ err: error, attempt: this.consecutiveErrors, delayMs: delay }, 'polling pass failed; backing off');
      this.tracker.failure(error, 'degraded');
      return delay;
    }
  }
}
