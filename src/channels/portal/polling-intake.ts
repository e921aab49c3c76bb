import { backoffDelay, sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import { OutboundPolicy, OutboundPolicyError, type OutboundHttpSettings, type Resolver } from '../../net/outbound-http';
import { systemClock, type Clock } from '../../domain/clock';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { ComplaintSink } from '../complaint-sink';
import { firstReadSink } from '../first-read';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import type { PortalConfig, PortalPollConfig } from './config-schema';
import { readPath } from '../shared/dot-path';
import { authHeaders } from '../shared/http-auth';
import { HttpNetworkError, HttpStatusError, requestJson, ResponseShapeError } from '../shared/http-client';
import { parseOfficeTime } from '../shared/local-time';
import { nextCursor, nextPage, pageUrl, recordsOf, type PageRef, type PollPosition } from './page-request';
import { RecordIntake, type IntakeStats } from './record-intake';

export interface PortalPollingDeps {
  portal: PortalConfig;
  poll: PortalPollConfig;
  store: Store;
  alerts: AdminAlerts;
  log: Logger;
  timeZone: string;
  /** `outboundHttp` of the config; default: https only, no private addresses. */
  outboundHttp?: OutboundHttpSettings;
  /** Tests resolve names themselves; default: the system resolver. */
  resolver?: Resolver;
  poison?: PoisonGuard;
  /** Detect the source's first read (the service does): its old records are imported as history. */
  firstRead?: boolean;
  /** The service's time (the first poll's backfill, the import id, LAPOR! arrivals); default the system's. */
  clock?: Clock;
}

/** Problems no retry fixes: the admin is told once and the poller only rechecks now and then. */
type Failure =
  | { kind: 'needs-admin'; state: 'failed' | 'degraded'; alertKey: string; subject: string; text: string }
  | { kind: 'transient'; retryAfterMs?: number };

/**
 * Polls an HTTP JSON endpoint for complaints: pages through the answer, hands every record over and
 * moves its position (newest record time, or the portal's cursor) only past records that were
 * durably queued or quarantined. 429/5xx/network errors back off (Retry-After honoured, capped);
 * 401/403 and answers of the wrong shape mark the channel failed, alert the admin once and are
 * rechecked slowly instead of hammering the portal.
 */
export class PortalPollingIntake implements ChannelIntake {
  readonly name: string;
  private readonly tracker: HealthTracker;
  private readonly intake: RecordIntake;
  private readonly cursorKey: string;
  private readonly abort = new AbortController();
  private readonly policy: OutboundPolicy;
  private running: Promise<void> | undefined;
  private consecutiveFailures = 0;
  /** Alerts to re-arm on the next success; both kinds at start, as a problem may predate a restart. */
  private readonly raisedAlerts: Set<string>;
  /** Finished polls, successful or not (tests and the demo wait on it). */
  completedPolls = 0;

  constructor(private readonly deps: PortalPollingDeps) {
    this.name = deps.portal.name;
    this.tracker = new HealthTracker(this.name);
    this.cursorKey = `portal:${deps.portal.name}`;
    this.raisedAlerts = new Set([`${this.name}:auth`, `${this.name}:response`, `${this.name}:outbound-policy`]);
    this.policy = new OutboundPolicy(deps.poll.url, deps.outboundHttp, deps.resolver);
    this.intake = new RecordIntake(
      deps.portal,
      {
        channel: deps.portal.channel,
        timeZone: deps.timeZone,
        dateOrder: deps.portal.dateOrder,
        source: deps.portal.name,
        ...(deps.clock ? { now: () => deps.clock!.now() } : {}),
      },
      deps.store,
      deps.log,
      deps.poison,
    );
  }

  async start(sink: ComplaintSink): Promise<void> {
    this.running = this.loop(sink);
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('channel stopping'));
    await this.running;
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }

  stats(): IntakeStats {
    return { ...this.intake.stats };
  }

  private async loop(sink: ComplaintSink): Promise<void> {
    while (!this.abort.signal.aborted) {
      let delay: number;
      try {
        const queued = await this.pollOnce(sink);
        delay = await this.succeeded(queued);
      } catch (error) {
        if (this.abort.signal.aborted) break;
        delay = await this.failed(error);
      }
      this.completedPolls += 1;
      await sleep(delay, this.abort.signal);
    }
  }

  /** One pass over every page the portal has for us; returns how many complaints were queued. */
  private async pollOnce(sink: ComplaintSink): Promise<number> {
    const { poll, portal, timeZone } = this.deps;
    const importing = await this.importing();
    const reading = firstReadSink(sink, importing);
    const position = await this.loadPosition();
    // Every page of one poll asks with the same since-time; the saved watermark moves as pages are taken.
    const asked = { ...position };
    const queuedBefore = this.intake.stats.queued;
    let page: PageRef = { kind: 'first' };
    for (let pages = 1; ; pages += 1) {
      const response = await requestJson(this.policy, {
        method: 'GET',
        url: pageUrl(poll, poll.incremental.kind === 'cursor' ? position : asked, page, timeZone),
        headers: authHeaders(portal.auth),
        timeoutMs: poll.timeoutMs,
        signal: this.abort.signal,
        what: `${portal.name} poll`,
      });
      const records = recordsOf(response.body, poll.recordsPath);
      await this.takePage(records, position, reading);
      if (this.abort.signal.aborted) break;

      let next: PageRef | undefined;
      if (poll.incremental.kind === 'cursor') {
        const cursor = nextCursor(poll, response.body);
        const moved = cursor !== undefined && cursor !== position.cursor;
        if (moved) await this.savePosition({ ...position, cursor });
        if (moved && records.length > 0) next = { kind: 'first' };
        position.cursor = cursor ?? position.cursor;
      } else {
        next = nextPage(poll, page, response.body, response.headers.get('link'), records.length);
      }
      if (!next) {
        if (importing) await this.finishImport(sink, importing);
        break;
      }
      // A next link elsewhere would carry our credentials there: it ends this poll as an error.
      if (next.kind === 'link') this.policy.sameOrigin(next.url, 'the next-page link', poll.url);
      if (pages >= poll.maxPagesPerPoll) {
        this.deps.log.warn({ pages }, 'page limit of one poll reached; the rest follows on the next poll');
        break;
      }
      page = next;
    }
    return this.intake.stats.queued - queuedBefore;
  }

  /**
   * Takes the records in order. In since mode the watermark moves to the newest record taken, but
   * never to or past a record whose hand-over failed; it is saved after each page.
   */
  private async takePage(records: unknown[], position: PollPosition, sink: ComplaintSink): Promise<void> {
    const inc = this.deps.poll.incremental;
    const timeOf = (record: unknown): number | undefined => {
      if (inc.kind !== 'since') return undefined;
      const parsed = parseOfficeTime(readPath(record, inc.timeField ?? this.deps.portal.mapping.receivedAt), {
        timeZone: this.deps.timeZone,
        dateOrder: this.deps.portal.dateOrder,
      });
      return parsed.ok ? parsed.epochMs : undefined;
    };
    const start = position.since ? Date.parse(position.since) : 0;
    let newest = start;
    try {
      for (const record of records) {
        if (this.abort.signal.aborted) break;
        try {
          await this.intake.take(record, sink);
        } catch (error) {
          const failedAt = timeOf(record);
          if (failedAt !== undefined) newest = Math.min(newest, failedAt - 1);
          throw error;
        }
        newest = Math.max(newest, timeOf(record) ?? newest);
      }
    } finally {
      if (inc.kind === 'since' && newest > start) {
        position.since = new Date(newest).toISOString();
        await this.savePosition(position);
      }
    }
  }

  /**
   * The import id while the source is read for the first time: no position saved yet when first polled
   * (a source with a position was live before this was tracked). It ends after a poll that reached
   * the last page.
   */
  private async importing(): Promise<string | undefined> {
    if (!this.deps.firstRead) return undefined;
    const key = `${this.cursorKey}:first-read`;
    const saved = await this.deps.store.getCursor(key);
    if (saved) {
      const state = JSON.parse(saved) as { state: string; importId: string };
      return state.state === 'importing' ? state.importId : undefined;
    }
    const live = (await this.deps.store.getCursor(this.cursorKey)) !== undefined;
    const importId = `${this.name}@${(this.deps.clock ?? systemClock).now().toISOString()}`;
    await this.deps.store.setCursor(key, JSON.stringify({ state: live ? 'live' : 'importing', importId }));
    return live ? undefined : importId;
  }

  private async finishImport(sink: ComplaintSink, importId: string): Promise<void> {
    await sink.finishImport?.(importId, this.deps.portal.channel);
    await this.deps.store.setCursor(`${this.cursorKey}:first-read`, JSON.stringify({ state: 'live', importId }));
  }

  private async loadPosition(): Promise<PollPosition> {
    const saved = await this.deps.store.getCursor(this.cursorKey);
    if (saved) return JSON.parse(saved) as PollPosition;
    const inc = this.deps.poll.incremental;
    // From the service's time: a first read takes in what its clock calls recent.
    const now = (this.deps.clock ?? systemClock).now().getTime();
    if (inc.kind === 'since') return { since: new Date(now - inc.backfillHours * 3_600_000).toISOString() };
    return {};
  }

  private async savePosition(position: PollPosition): Promise<void> {
    await this.deps.store.setCursor(this.cursorKey, JSON.stringify(position));
  }

  private async succeeded(queued: number): Promise<number> {
    this.consecutiveFailures = 0;
    this.tracker.success(queued);
    for (const key of this.raisedAlerts) await this.deps.alerts.resolve(key).catch(() => undefined);
    this.raisedAlerts.clear();
    return this.deps.poll.intervalMs;
  }

  private async failed(error: unknown): Promise<number> {
    const { poll, log } = this.deps;
    const failure = this.describe(error);
    if (failure.kind === 'needs-admin') {
      this.tracker.failure(error, failure.state);
      log.error(
        { err: error },
        `${this.name} poll failed; needs an admin, rechecking in ${poll.recheckAfterFailureMs} ms`,
      );
      this.raisedAlerts.add(failure.alertKey);
      await this.deps.alerts
        .raise(failure.alertKey, failure.subject, failure.text)
        .catch((alertError: unknown) => log.warn({ err: alertError }, 'admin alert could not be sent'));
      return poll.recheckAfterFailureMs;
    }
    this.consecutiveFailures += 1;
    this.tracker.failure(error, 'degraded');
    const delay = Math.min(
      poll.maxBackoffMs,
      failure.retryAfterMs ?? backoffDelay(this.consecutiveFailures, poll.backoffMs, poll.maxBackoffMs),
    );
    log.warn(
      { err: error, attempt: this.consecutiveFailures, retryInMs: delay },
      `${this.name} poll failed; backing off`,
    );
    return delay;
  }

  private describe(error: unknown): Failure {
    const name = this.name;
    const alertKey = (what: string) => `${name}:${what}`;
    if (error instanceof OutboundPolicyError) {
      return {
        kind: 'needs-admin',
        state: 'degraded',
        alertKey: alertKey('outbound-policy'),
        subject: `Kanal ${name}: permintaan ditolak oleh aturan keamanan HTTP`,
        text: [
          `aduan tidak mengirim permintaan ke ${name}: ${error.message}.`,
          'Kredensial kanal ini hanya dikirim ke alamat (origin) yang dikonfigurasi; tautan halaman berikut',
          'atau pengalihan ke alamat lain, alamat jaringan privat dan http:// tanpa enkripsi tidak diikuti.',
          'Mohon periksa konfigurasi kanal (poll.url, outboundHttp) atau tanyakan perubahan ini ke pengelola portal.',
        ].join('\n'),
      };
    }
    if (error instanceof HttpStatusError && error.isAuthFailure) {
      return {
        kind: 'needs-admin',
        state: 'failed',
        alertKey: alertKey('auth'),
        subject: `Kanal ${name} berhenti: akses ditolak (HTTP ${error.status})`,
        text: [
          `Server ${name} menolak kredensial aduan (HTTP ${error.status}). Pengaduan dari kanal ini tidak diambil sampai kredensial diperbaiki.`,
          'Mohon periksa token/kata sandi/API key di konfigurasi (variabel lingkungan) dan hak aksesnya di sisi portal.',
          'aduan mencoba lagi secara berkala dan akan melanjutkan sendiri setelah akses pulih.',
        ].join('\n'),
      };
    }
    if (error instanceof ResponseShapeError || (error instanceof HttpStatusError && !error.isRetryable)) {
      return {
        kind: 'needs-admin',
        state: 'failed',
        alertKey: alertKey('response'),
        subject: `Kanal ${name} berhenti: jawaban server tidak sesuai konfigurasi`,
        text: [
          `Permintaan ke ${name} gagal: ${error.message}.`,
          `Kemungkinan alamat endpoint, parameter atau format jawaban portal berubah. Mohon sesuaikan konfigurasi kanal ${name} (endpoint, recordsPath, mapping).`,
          'aduan mencoba lagi secara berkala.',
        ].join('\n'),
      };
    }
    if (error instanceof HttpStatusError)
      return { kind: 'transient', ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
    if (error instanceof HttpNetworkError) return { kind: 'transient' };
    // The pipeline (store, Redis) could not take the record: nothing moved past it, try again later.
    return { kind: 'transient' };
  }
}
