import { createHash } from 'node:crypto';
import { rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../lib/logger';
import type { AdminAlerts } from '../ops/admin-alerts';
import { TransientError } from '../lib/errors';
import type { Store } from '../store/store';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../lib/private-files';

/**
 * One bad message must never stop a channel. A channel with a cursor reads messages in order and
 * moves its cursor past a message only once it is handled; a message whose reading (parse +
 * normalize) throws, or takes longer than the time budget, would otherwise be read again and again
 * and hold up everything behind it, also across restarts.
 *
 * Each failed reading is one attempt, counted in the store (so a restart does not reset it), and the
 * channel retries as it retries anything else (the error is transient: the cursor stays). At the
 * `maxAttempts`-th failure the message is quarantined with its reason and its raw bytes (kept under
 * the data folder, content-addressed), the admins get one alert per channel (AdminAlerts rate-limits
 * it), the reading reports `quarantined`, and the channel moves its cursor past it.
 *
 * Why a measured budget and not a worker thread: every parser of citizen text is linear (the
 * adversarial corpus and `npm run bench:hostile` show it), so a message cannot hang the event loop
 * for long; a worker thread per message would copy every mail across threads for nothing. The budget
 * still catches a reading that is slow for any reason (a library regression, a pathological file),
 * and a retry tells a slow moment of the machine from a message that is always slow.
 *
 * Only the reading is guarded: a failure to queue (Redis or the store away) says nothing about the
 * message and is left to the channel's own retries, never counted towards quarantine.
 */

export interface PoisonSettings {
  maxAttempts: number;
  budgetMs: number;
  /** Where raw bytes of quarantined messages are kept (`<dataDir>/quarantine`). */
  rawFolder: string;
}

export interface GuardedMessage {
  /** The reader with a cursor (one IMAP mailbox, one Meta account, one portal, the call-center folder). */
  scope: string;
  /** Channel key for the quarantine record (email, messenger, perkebbas, call-center…). */
  channel: string;
  /** Identifies the message within the scope, stable across restarts (UIDVALIDITY:UID, message id, file@offset). */
  key: string;
  /** Where it was read, for people: mailbox#uid, file and row. */
  origin: string;
  sourceId?: string;
  /** The bytes as received, kept if the message is quarantined. */
  raw: () => Buffer | string;
}

export type Reading<T> = { kind: 'read'; value: T } | { kind: 'quarantined'; reason: string };

interface Strikes {
  key: string;
  attempts: number;
  reason: string;
}

export class PoisonGuard {
  /** The message currently failing, per scope: loaded once from the store, then kept here. */
  private readonly strikes = new Map<string, Strikes | undefined>();

  constructor(
    private readonly store: Store,
    private readonly alerts: Pick<AdminAlerts, 'raise'> | undefined,
    private readonly log: Logger,
    private readonly settings: PoisonSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reads one message under the guard; throws a TransientError for a failed attempt below the limit. */
  async read<T>(message: GuardedMessage, reading: () => T | Promise<T>): Promise<Reading<T>> {
    const current = await this.current(message.scope);
    const earlier = current?.key === message.key ? current : undefined;
    if (earlier && earlier.attempts >= this.settings.maxAttempts) return this.quarantine(message, earlier);

    const started = this.now();
    let failure: string | undefined;
    let value: T | undefined;
    try {
      value = await reading();
      const elapsed = Math.round(this.now() - started);
      if (elapsed > this.settings.budgetMs) {
        failure = `reading took ${elapsed} ms, over the budget of ${this.settings.budgetMs} ms`;
      }
    } catch (error) {
      failure = `reading failed: ${describe(error)}`;
    }
    if (failure === undefined) {
      if (current) await this.clear(message.scope);
      return { kind: 'read', value: value as T };
    }

    const strikes = { key: message.key, attempts: (earlier?.attempts ?? 0) + 1, reason: failure };
    if (strikes.attempts >= this.settings.maxAttempts) return this.quarantine(message, strikes);
    await this.remember(message.scope, strikes);
    const { maxAttempts } = this.settings;
    const { scope, origin } = message;
    const attempt = strikes.attempts;
    this.log.warn({ scope, origin, attempt, of: maxAttempts, reason: failure }, 'message unreadable; will try again');
    throw new TransientError(`${origin}: ${failure} (attempt ${attempt} of ${maxAttempts})`);
  }

  private async quarantine<T>(message: GuardedMessage, strikes: Strikes): Promise<Reading<T>> {
    const { attempts } = strikes;
    const reason = `poison message: ${strikes.reason}; ${attempts} attempt(s), set aside so the channel moves on`;
    const raw = await this.keepRaw(message.raw());
    await this.store.quarantine({
      channel: message.channel,
      ...(message.sourceId ? { sourceId: message.sourceId } : {}),
      reason,
      payload: JSON.stringify({
        origin: message.origin,
        scope: message.scope,
        key: message.key,
        attempts: strikes.attempts,
        ...raw,
      }),
    });
    await this.clear(message.scope);
    const { scope, origin } = message;
    const rawFile = raw.rawFile;
    this.log.error({ scope, origin, reason: strikes.reason, attempts, rawFile }, 'poison message quarantined');
    await this.alerts
      ?.raise(
        `poison-${message.scope}`,
        `Kanal ${message.scope}: pesan bermasalah disisihkan`,
        [
          `Sebuah pesan di ${message.origin} tidak dapat dibaca ${strikes.attempts} kali berturut-turut dan disisihkan`,
          `(karantina), agar pesan berikutnya tetap diproses. Alasan: ${strikes.reason}.`,
          '',
          `Isi aslinya disimpan di ${raw.rawFile} (${raw.rawBytes} byte, sha256 ${raw.sha256}).`,
          'Periksa pesan itu dan tangani pengaduannya secara manual bila perlu.',
        ].join('\n'),
      )
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not alert the admins about a poison message'));
    return { kind: 'quarantined', reason };
  }

  /** Content-addressed and written atomically: quarantining the same message twice keeps one file. */
  private async keepRaw(raw: Buffer | string): Promise<{ rawFile: string; rawBytes: number; sha256: string }> {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const rawFile = path.join(this.settings.rawFolder, `${sha256}.raw`);
    const exists = await stat(rawFile).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await ensurePrivateDir(this.settings.rawFolder);
      const temp = `${rawFile}.${process.pid}.tmp`;
      await writeFile(temp, bytes, { mode: PRIVATE_FILE_MODE });
      await rename(temp, rawFile);
    }
    return { rawFile, rawBytes: bytes.length, sha256 };
  }

  private async current(scope: string): Promise<Strikes | undefined> {
    if (this.strikes.has(scope)) return this.strikes.get(scope);
    const saved = parseStrikes(await this.store.getCursor(cursorKey(scope)));
    this.strikes.set(scope, saved);
    return saved;
  }

  private async remember(scope: string, strikes: Strikes): Promise<void> {
    await this.store.setCursor(cursorKey(scope), JSON.stringify(strikes));
    this.strikes.set(scope, strikes);
  }

  private async clear(scope: string): Promise<void> {
    await this.store.setCursor(cursorKey(scope), '');
    this.strikes.set(scope, undefined);
  }
}

function cursorKey(scope: string): string {
  return `poison:${scope}`;
}

function parseStrikes(value: string | undefined): Strikes | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<Strikes>;
    if (typeof parsed.key !== 'string' || typeof parsed.attempts !== 'number') return undefined;
    return { key: parsed.key, attempts: parsed.attempts, reason: String(parsed.reason ?? '') };
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
