import { ImapFlow } from 'imapflow';
import { backoffDelay, sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import { classifyError } from '../../lib/errors';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import type { PoisonGuard } from '../poison-guard';
import type { EmailAccountConfig } from './config-schema';
import type { EmailOutcome, EmailProcessor } from './email-processor';
import type { EmailSettings } from './settings';
import type { SenderTrust } from './sender-auth';
import { firstReadSink } from '../first-read';

export interface ImapIntakeDeps {
  settings: EmailSettings;
  processor: EmailProcessor;
  store: Store;
  alerts: AdminAlerts;
  log: Logger;
  /** Sets aside a message that cannot be read, so the mailbox behind it keeps flowing. */
  poison: PoisonGuard;
}

interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
  /** The first read of this mailbox is still going on, as this import (docs/importing-history.md). */
  importing?: string;
}

const STOP_GRACE_MS = 10_000;

/**
 * Reads one IMAP mailbox: IDLE pushes new mail, a poll every `pollIntervalMs` is the fallback. The
 * position is UIDVALIDITY + last handled UID in the store (never the \Seen flag); it advances only
 * after the message is durable. Disconnects reconnect with capped backoff; repeated login failures
 * mark the channel failed and alert the admin once.
 */
export class ImapIntake implements ChannelIntake {
  readonly name: string;
  private readonly tracker: HealthTracker;
  private readonly log: Logger;
  private readonly stopSignal = new AbortController();
  private running: Promise<void> | undefined;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private wakeRequested = false;
  private reconnects = 0;
  private authFailures = 0;
  private alerted = false;

  constructor(
    private readonly account: EmailAccountConfig,
    private readonly mailbox: string,
    private readonly deps: ImapIntakeDeps,
  ) {
    this.name = `email:${account.name}/${mailbox}`;
    this.tracker = new HealthTracker(this.name);
    this.log = deps.log.child({ channel: this.name });
  }

  private get stopping(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private get config() {
    return this.deps.settings.channel;
  }

  private get cursorKey(): string {
    return `email:${this.account.name}:${this.mailbox}`;
  }

  private get trust(): SenderTrust {
    const { authservIds, headers, alignedSpf, trustUnauthenticatedFrom } = this.account.senderAuth;
    return { authservIds, maxHeaders: headers, alignedSpf, trustUnauthenticatedFrom };
  }

  private get alertKey(): string {
    return `email-auth-${this.account.name}`;
  }

  async start(sink: ComplaintSink): Promise<void> {
    this.running = this.run(sink);
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    this.wakeUp();
    const finished = this.running ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (late) {
      // A connect or command that hangs: closing the socket makes it fail now.
      this.client?.close();
      await finished;
    }
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }

  private async run(sink: ComplaintSink): Promise<void> {
    while (!this.stopping) {
      try {
        await this.session(sink);
      } catch (error) {
        if (!this.stopping) await this.onSessionFailure(error);
      }
      if (this.stopping) break;
      this.reconnects += 1;
      const delayMs = backoffDelay(
        this.reconnects,
        this.config.reconnect.initialDelayMs,
        this.config.reconnect.maxDelayMs,
      );
      this.log.info({ delayMs, attempt: this.reconnects }, 'reconnecting to the IMAP server');
      await sleep(delayMs, this.stopSignal.signal);
    }
  }

  /** One connection: read what is new, then wait for IDLE news or the poll timer, until it closes. */
  private async session(sink: ComplaintSink): Promise<void> {
    const client = this.connectClient();
    this.client = client;
    try {
      await client.connect();
      await this.onConnected();
      if (this.config.moveTo) await client.mailboxCreate(this.config.moveTo);
      while (!this.stopping && client.usable) {
        await this.sync(client, sink);
        this.reconnects = 0;
        this.tracker.success();
        await this.nextWake();
      }
      if (!this.stopping) throw new Error('IMAP connection closed by the server');
    } finally {
      this.client = undefined;
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
    }
  }

  private connectClient(): ImapFlow {
    const { account, config } = this;
    const client = new ImapFlow({
      host: account.host,
      port: account.port,
      secure: account.security === 'tls',
      ...(account.security === 'tls' ? {} : { doSTARTTLS: account.security === 'starttls' }),
      auth: { user: account.user, pass: account.password },
      logger: false,
      clientInfo: { name: 'aduan' },
      disableAutoIdle: !config.idle,
      // IDLE as soon as a sync has finished: new mail then arrives within a round trip.
      autoIdleDelay: 50,
      maxIdleTime: config.pollIntervalMs,
      connectionTimeout: 30_000,
    });
    client.on('error', (error: unknown) => this.log.warn({ err: describeImapError(error) }, 'IMAP connection error'));
    client.on('exists', () => this.wakeUp());
    client.once('close', () => this.wakeUp());
    return client;
  }

  /** Handles every message after the cursor, oldest first; a new UIDVALIDITY means re-reading recent mail. */
  private async sync(client: ImapFlow, sink: ComplaintSink): Promise<void> {
    const lock = await client.getMailboxLock(this.mailbox);
    try {
      if (!client.mailbox) throw new Error(`mailbox ${this.mailbox} is not selected`);
      const uidValidity = String(client.mailbox.uidValidity);
      const cursor = await this.readCursor();
      let uids: number[];
      // A mailbox without a cursor is read for the first time: its old mail is imported as history.
      let importing = cursor?.uidValidity === uidValidity ? cursor.importing : undefined;
      let position = cursor?.uidValidity === uidValidity ? cursor.lastUid : 0;
      if (cursor?.uidValidity === uidValidity) {
        const after = cursor.lastUid;
        uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || []).filter((uid) => uid > after);
      } else {
        // First start, or the server renumbered the mailbox: re-read recent mail; the store
        // recognises what it already has by Message-ID, so nothing is answered twice.
        if (cursor)
          this.log.warn(
            { previous: cursor.uidValidity, current: uidValidity },
            'UIDVALIDITY changed; re-reading recent mail',
          );
        const since = new Date(Date.now() - this.config.backfillDays * 86_400_000);
        uids = (await client.search({ since }, { uid: true })) || [];
        const first = uids.reduce((min, uid) => Math.min(min, uid), client.mailbox.uidNext);
        if (!cursor) importing = `${this.name}@${new Date().toISOString()}`;
        position = first - 1;
        await this.writeCursor({ uidValidity, lastUid: position, ...(importing ? { importing } : {}) });
      }
      const reading = firstReadSink(sink, importing);
      for (const uid of uids.sort((a, b) => a - b)) {
        if (this.stopping) return;
        await this.handle(client, uid, uidValidity, reading);
        position = uid;
        await this.writeCursor({ uidValidity, lastUid: position, ...(importing ? { importing } : {}) });
      }
      // The first read is done: one summary to the admins, then the mailbox is live.
      if (importing) {
        await sink.finishImport?.(importing, 'email');
        await this.writeCursor({ uidValidity, lastUid: position });
      }
    } finally {
      lock.release();
    }
  }

  private async handle(client: ImapFlow, uid: number, uidValidity: string, sink: ComplaintSink): Promise<void> {
    const origin = `${this.account.name}/${this.mailbox}#${uid}`;
    const info = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
    if (!info) return; // expunged meanwhile
    const maxBytes = this.config.maxMessageBytes;
    if ((info.size ?? 0) > maxBytes) {
      const head = await client.fetchOne(String(uid), { headers: true }, { uid: true });
      await this.deps.processor.quarantine(
        { origin },
        `message of ${info.size} bytes exceeds maxMessageBytes (${maxBytes}); not downloaded`,
        head ? (head.headers?.toString('utf8') ?? '') : '',
      );
      return;
    }
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!message || !message.source) return;
    const receivedAt = info.internalDate ? new Date(info.internalDate) : undefined;
    const source = { origin, ...(receivedAt ? { receivedAt } : {}), trust: this.trust };
    const raw = message.source;
    let outcome: EmailOutcome;
    try {
      const reading = await this.deps.poison.read(
        { scope: this.name, channel: 'email', key: `${uidValidity}:${uid}`, origin, raw: () => raw },
        () => this.deps.processor.decide(raw, source),
      );
      outcome =
        reading.kind === 'quarantined'
          ? { status: 'quarantined', reason: reading.reason }
          : await this.deps.processor.submit(reading.value, source, sink);
    } catch (error) {
      // Store or queue trouble: retried after a reconnect, the cursor stays. A message that cannot
      // be read at all is quarantined, so it never holds up the mail behind it.
      if (classifyError(error) !== 'permanent') throw error;
      outcome = await this.deps.processor.quarantine({ origin }, (error as Error).message, headerText(message.source));
    }
    this.log.debug({ uid, status: outcome.status }, 'message handled');
    if (outcome.status === 'queued' || outcome.status === 'duplicate') await this.afterQueued(client, uid);
    if (outcome.status === 'queued') this.tracker.success(1);
  }

  /** Optional mailbox housekeeping, only once the complaint is durable. */
  private async afterQueued(client: ImapFlow, uid: number): Promise<void> {
    if (this.config.markSeen) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    if (this.config.moveTo) await client.messageMove(String(uid), this.config.moveTo, { uid: true });
  }

  private async onConnected(): Promise<void> {
    if (this.authFailures > 0) this.log.info('IMAP login works again');
    this.authFailures = 0;
    this.alerted = false;
    await this.deps.alerts.resolve(this.alertKey);
  }

  private async onSessionFailure(error: unknown): Promise<void> {
    const description = describeImapError(error);
    const authFailed = (error as { authenticationFailed?: unknown })?.authenticationFailed === true;
    if (!authFailed || classifyError(error) !== 'permanent') {
      this.tracker.failure(description, 'degraded');
      this.log.warn({ err: description }, 'IMAP session failed');
      return;
    }
    this.authFailures += 1;
    const failed = this.authFailures >= this.deps.settings.channel.authFailuresBeforeAlert;
    this.tracker.failure(`login failed ${this.authFailures} time(s): ${description}`, failed ? 'failed' : 'degraded');
    this.log.error({ err: description, failures: this.authFailures }, 'IMAP login failed');
    if (!failed || this.alerted) return;
    this.alerted = true;
    await this.deps.alerts
      .raise(
        this.alertKey,
        `Kanal email ${this.account.name}: login IMAP gagal`,
        [
          `Login ke kotak surat ${this.account.user} di ${this.account.host}:${this.account.port} gagal ${this.authFailures} kali berturut-turut.`,
          `Jawaban server: ${description}`,
          '',
          'Pengaduan lewat email ini tidak terbaca sampai kata sandi atau akses akun diperbaiki',
          '(channels.email.accounts di konfigurasi). aduan terus mencoba dengan jeda yang makin panjang.',
        ].join('\n'),
      )
      .catch((alertError: unknown) => this.log.warn({ err: alertError }, 'could not alert the admin'));
  }

  /** Resolves on new mail (IDLE), a closed connection, stop(), or after the poll interval. */
  private nextWake(): Promise<void> {
    if (this.wakeRequested || this.stopping) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, this.config.pollIntervalMs);
      this.wake = done;
    });
  }

  private wakeUp(): void {
    if (this.wake) this.wake();
    else this.wakeRequested = true;
  }

  private async readCursor(): Promise<MailboxCursor | undefined> {
    const value = await this.deps.store.getCursor(this.cursorKey);
    if (!value) return undefined;
    try {
      const parsed = JSON.parse(value) as Partial<MailboxCursor>;
      return typeof parsed.uidValidity === 'string' && typeof parsed.lastUid === 'number'
        ? {
            uidValidity: parsed.uidValidity,
            lastUid: parsed.lastUid,
            ...(typeof parsed.importing === 'string' ? { importing: parsed.importing } : {}),
          }
        : undefined;
    } catch {
      return undefined;
    }
  }

  private writeCursor(cursor: MailboxCursor): Promise<void> {
    return this.deps.store.setCursor(this.cursorKey, JSON.stringify(cursor));
  }
}

/** What the server said, without credentials (imapflow never puts them in messages). */
export function describeImapError(error: unknown): string {
  const e = error as { message?: string; responseText?: string; code?: string; serverResponseCode?: string };
  const parts = [e?.message ?? String(error), e?.responseText, e?.serverResponseCode ?? e?.code].filter(
    (p): p is string => Boolean(p),
  );
  return [...new Set(parts)].join(' — ').slice(0, 500);
}

function headerText(raw: Buffer): string {
  const text = raw.subarray(0, 64 * 1024).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end >= 0 ? text.slice(0, end) : text;
}
