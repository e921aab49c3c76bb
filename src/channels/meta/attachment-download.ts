import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import axios from 'axios';
import { nameAttachment } from '../../domain/attachment-name';
import type { Attachment, ComplaintInputDraft } from '../../domain/complaint';
import { backoffDelay, sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import { isLoopbackHost, OutboundPolicy, type OutboundHttpSettings, type Resolver } from '../../net/outbound-http';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files';

/** A file of a citizen's message and Meta's signed, expiring link to it (never stored). */
export interface PendingDownload {
  /** Position in the complaint's `attachments`. */
  index: number;
  url: string;
}

export interface AttachmentDownloadOptions {
  /** Content-addressed like email attachments: <folder>/<ab>/<sha256>. */
  folder: string;
  /** Meta's own cap for received files is 25 MB. */
  maxBytes?: number;
  timeoutMs?: number;
  attempts?: number;
  retryBaseMs?: number;
  outboundHttp?: OutboundHttpSettings;
  resolver?: Resolver;
  /** Links naming this machine may be followed: only when the Graph API itself is on loopback (a fake). */
  loopbackAllowed?: boolean;
  log: Logger;
}

const MB = 1024 * 1024;

/**
 * Downloads a message's files while Meta's links are still valid, before the complaint is submitted:
 * the type is read from the bytes, the sha256 kept, the file stored like an email attachment (so the
 * team mail carries it). A link that fails is tried again a few times; a file that still cannot be had
 * is recorded on the attachment (why, and where staff can still see it) and the message goes on without it.
 */
export async function keepAttachments(
  complaint: ComplaintInputDraft,
  downloads: PendingDownload[],
  options: AttachmentDownloadOptions,
): Promise<ComplaintInputDraft> {
  if (downloads.length === 0 || !complaint.attachments) return complaint;
  const attachments = [...complaint.attachments];
  for (const download of downloads) {
    const record = attachments[download.index];
    if (!record) continue;
    attachments[download.index] = await keepOne(record, download, options);
  }
  return { ...complaint, attachments };
}

async function keepOne(
  record: Attachment,
  download: PendingDownload,
  options: AttachmentDownloadOptions,
): Promise<Attachment> {
  const attempts = options.attempts ?? 3;
  let reason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await fetchBytes(download.url, options);
    if ('bytes' in outcome) return store(record, outcome.bytes, download.index, options);
    reason = outcome.reason;
    if (!outcome.retry) break;
    if (attempt < attempts) await sleep(backoffDelay(attempt, options.retryBaseMs ?? 500, 5_000));
  }
  options.log.warn({ file: record.filename, reason }, 'attachment from Meta not downloaded');
  return {
    ...record,
    skippedReason: `gagal diunduh dari Meta (${reason}); lihat percakapan di Meta Business Suite`.slice(0, 1000),
  };
}

async function store(
  record: Attachment,
  bytes: Buffer,
  index: number,
  options: AttachmentDownloadOptions,
): Promise<Attachment> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Webhook files have no name (ours: "image-1"); the type always follows the bytes.
  const given = /^[a-z_]+-\d+$/.test(record.filename) ? undefined : record.filename;
  const named = nameAttachment(given, record.contentType.replace('/*', '/octet-stream'), bytes, index + 1);
  const storedAt = path.join(options.folder, sha256.slice(0, 2), sha256);
  await ensurePrivateDir(path.dirname(storedAt));
  await writeFile(storedAt, bytes, { mode: PRIVATE_FILE_MODE });
  return {
    filename: named.filename,
    contentType: named.contentType,
    size: bytes.length,
    sha256,
    storedAt,
    ...(named.warning ? { warning: named.warning } : {}),
  };
}

type Fetched = { bytes: Buffer } | { reason: string; retry: boolean };

async function fetchBytes(url: string, options: AttachmentDownloadOptions): Promise<Fetched> {
  const maxBytes = options.maxBytes ?? 25 * MB;
  let policy: OutboundPolicy;
  try {
    // A link naming loopback would earn loopback's exemptions (plain http, local services) as its own origin.
    if (!options.loopbackAllowed && isLoopbackHost(new URL(url).hostname))
      throw new Error('alamat mesin ini (loopback) tidak diunduh');
    // Each CDN link is its own origin; the policy still refuses private addresses and plain http.
    policy = new OutboundPolicy(url, options.outboundHttp, options.resolver);
  } catch (error) {
    return { reason: `tautan ditolak: ${(error as Error).message}`, retry: false };
  }
  try {
    const response = await axios.get<ArrayBuffer>(url, {
      responseType: 'arraybuffer',
      timeout: options.timeoutMs ?? 20_000,
      maxContentLength: maxBytes,
      maxRedirects: 0,
      validateStatus: () => true,
      httpAgent: policy.agent,
      httpsAgent: policy.agent,
      proxy: false,
    });
    if (response.status === 403 || response.status === 404 || response.status === 410)
      return { reason: `tautan Meta sudah tidak berlaku (HTTP ${response.status})`, retry: false };
    if (response.status < 200 || response.status >= 300)
      return { reason: `HTTP ${response.status}`, retry: response.status >= 500 || response.status === 429 };
    return { bytes: Buffer.from(response.data) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BAD_RESPONSE' || /maxContentLength/.test((error as Error).message))
      return { reason: `berkas melebihi batas ${Math.round(maxBytes / MB)} MB`, retry: false };
    return { reason: `unduhan gagal (${code ?? 'jaringan'})`, retry: true };
  }
}
