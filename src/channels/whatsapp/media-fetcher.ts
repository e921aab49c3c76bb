import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nameAttachment } from '../../domain/attachment-name';
import type { Attachment } from '../../domain/complaint';
import type { Logger } from '../../lib/logger';
import type { Store } from '../../store/store';
import type { CloudClient } from './cloud-client';
import { cloudErrorOf } from './cloud-errors';
import type { WhatsAppConfig } from './config-schema';
import type { WhatsAppMetrics } from './metrics';
import type { MediaType } from './normalize';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files';

/** A media message whose bytes are still at Meta. */
export interface PendingMedia {
  wamid: string;
  mediaId: string;
  type: MediaType;
  filename: string;
  mimeType: string;
  /** The sha256 the webhook announced (base64 or hex, as Meta gives it), if any. */
  sha256?: string;
  /** When the message arrived: webhook media ids expire after 7 days. */
  receivedAt: string;
  attempts: number;
  /** Stored already; only the ticket was not there yet. */
  stored?: Attachment;
}

const PENDING_KEY = 'whatsapp-media-pending';
const DONE_PREFIX = 'whatsapp-media-done:';
const MEDIA_ID_LIFETIME_MS = 7 * 24 * 3_600_000;

interface MediaInfo {
  url?: unknown;
  mime_type?: unknown;
  sha256?: unknown;
  file_size?: unknown;
}

/**
 * Downloads the files citizens send, after the message itself is durably taken in (so a failed
 * download never loses the message nor blocks the channel: the ticket shows "media pending"). Every
 * attempt looks the media id up afresh (its URL lives about five minutes), downloads with the token,
 * checks size and sha256, names the file by its bytes and stores it content-addressed like email
 * attachments, then adds it to the ticket. The pending list lives in the store, so downloads resume
 * after a restart, until the media id expires.
 */
export class MediaFetcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = new Map<string, PendingMedia>();
  private saving: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: {
      section: WhatsAppConfig;
      client: CloudClient;
      store: Store;
      folder: string;
      log: Logger;
      metrics?: WhatsAppMetrics;
      now?: () => number;
    },
  ) {}

  /** Resumes downloads recorded before a restart. */
  async start(): Promise<void> {
    const saved = await this.deps.store.getCursor(PENDING_KEY);
    const list = saved ? (JSON.parse(saved) as PendingMedia[]) : [];
    for (const item of list) {
      this.pending.set(item.wamid, item);
      this.later(item, 0);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Records the media as pending (durably) and tries the first download at once. */
  async add(item: Omit<PendingMedia, 'attempts'>): Promise<void> {
    if (this.pending.has(item.wamid) || (await this.deps.store.getCursor(DONE_PREFIX + item.wamid))) return;
    const entry = { ...item, attempts: 0 };
    this.pending.set(item.wamid, entry);
    await this.save();
    this.later(entry, 0);
  }

  private later(item: PendingMedia, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(item);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(item: PendingMedia): Promise<void> {
    const { log, section } = this.deps;
    const now = (this.deps.now ?? Date.now)();
    item.attempts += 1;
    try {
      item.stored ??= await this.download(item);
      await this.attach(item, item.stored);
      log.info({ type: item.type, attempts: item.attempts }, 'WhatsApp media stored');
      this.deps.metrics?.mediaAttempt('stored');
      await this.finish(item);
    } catch (error) {
      const expired = now - Date.parse(item.receivedAt) > MEDIA_ID_LIFETIME_MS;
      const permanent = cloudErrorOf(error)?.kind === 'invalid' || cloudErrorOf(error)?.kind === 'auth';
      log.warn({ err: error, attempt: item.attempts, type: item.type }, 'WhatsApp media download failed');
      this.deps.metrics?.mediaAttempt(expired || (permanent && item.attempts >= 3) ? 'given-up' : 'failed');
      if (expired || (permanent && item.attempts >= 3)) {
        await this.giveUp(item, error).catch((e: unknown) => log.error({ err: e }, 'media give-up not recorded'));
        return;
      }
      const delays = section.media.retryDelaysMs;
      this.later(item, delays[Math.min(item.attempts - 1, delays.length - 1)]!);
      await this.save().catch(() => undefined);
    }
  }

  private async download(item: PendingMedia): Promise<Attachment> {
    const { client, section, folder } = this.deps;
    // A fresh lookup on every attempt: the URL of an earlier one may have expired.
    const info = await client.get<MediaInfo>(encodeURIComponent(item.mediaId));
    if (typeof info.url !== 'string') throw new Error('media lookup without url');
    const limit = section.media.maxBytes[item.type];
    const declared = typeof info.file_size === 'number' ? info.file_size : Number(info.file_size);
    if (Number.isFinite(declared) && declared > limit) return this.tooLarge(item, declared, limit);
    const { bytes } = await client.download(info.url, section.media.hosts);
    if (bytes.length > limit) return this.tooLarge(item, bytes.length, limit);
    const hex = createHash('sha256').update(bytes).digest('hex');
    const expected = typeof info.sha256 === 'string' ? info.sha256 : item.sha256;
    if (expected && !sameDigest(expected, hex, bytes)) throw new Error('media sha256 does not match the download');
    const mime = typeof info.mime_type === 'string' ? info.mime_type : item.mimeType;
    const named = nameAttachment(item.filename, mime, bytes, 1);
    const storedAt = path.join(folder, hex.slice(0, 2), hex);
    await ensurePrivateDir(path.dirname(storedAt));
    const temporary = `${storedAt}.${process.pid}.tmp`;
    await writeFile(temporary, bytes, { mode: PRIVATE_FILE_MODE });
    await rename(temporary, storedAt);
    return {
      filename: named.filename,
      contentType: named.contentType,
      size: bytes.length,
      sha256: hex,
      storedAt,
      ...(named.warning ? { warning: named.warning } : {}),
    };
  }

  private tooLarge(item: PendingMedia, size: number, limit: number): Attachment {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return {
      filename: item.filename,
      contentType: item.mimeType,
      size,
      skippedReason: `tidak disimpan: ukuran ${mb(size)} melebihi batas ${mb(limit)}`,
    };
  }

  /** The file joins the ticket the message belongs to (its own, or the one it followed up). */
  private async attach(item: PendingMedia, attachment: Attachment): Promise<void> {
    const { store } = this.deps;
    const ticket =
      (await store.findBySource('whatsapp', item.wamid)) ?? (await store.findByMessageRefs('whatsapp', [item.wamid]));
    // The intake job has not made the ticket yet: the next attempt looks again.
    if (!ticket) throw new Error('ticket of the media message not created yet');
    await store.appendHistory(ticket.id, {
      at: new Date().toISOString(),
      event: 'note',
      ref: item.wamid,
      note: attachment.storedAt
        ? `Lampiran WhatsApp terunduh: ${attachment.filename}`
        : `Lampiran WhatsApp ${attachment.filename} ${attachment.skippedReason ?? ''}`.trim(),
      attachments: [attachment],
    });
  }

  private async giveUp(item: PendingMedia, error: unknown): Promise<void> {
    const { store } = this.deps;
    const ticket =
      (await store.findBySource('whatsapp', item.wamid)) ?? (await store.findByMessageRefs('whatsapp', [item.wamid]));
    if (ticket)
      await store.appendHistory(ticket.id, {
        at: new Date().toISOString(),
        event: 'note',
        ref: item.wamid,
        note: `Lampiran WhatsApp ${item.filename} tidak dapat diunduh setelah ${item.attempts} percobaan (${String((error as Error).message ?? error).slice(0, 200)}); mohon minta pelapor mengirim ulang`,
      });
    await this.finish(item);
  }

  private async finish(item: PendingMedia): Promise<void> {
    await this.deps.store.setCursor(DONE_PREFIX + item.wamid, new Date().toISOString());
    this.pending.delete(item.wamid);
    await this.save();
  }

  /** One write at a time, always of the current list. */
  private save(): Promise<void> {
    this.deps.metrics?.mediaPending(this.pending.size);
    this.saving = this.saving
      .catch(() => undefined)
      .then(() => this.deps.store.setCursor(PENDING_KEY, JSON.stringify([...this.pending.values()])));
    return this.saving;
  }
}

/** Meta gives sha256 as hex in some payloads and base64 in others. */
function sameDigest(expected: string, hex: string, bytes: Buffer): boolean {
  if (expected.toLowerCase() === hex) return true;
  return expected === createHash('sha256').update(bytes).digest('base64');
}
