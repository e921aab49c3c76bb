import { writeFile } from 'node:fs/promises';
import type { AppConfig } from '../../config/schema';
import { maskedSubjectKey, subjectKey, subjectKeysOf } from '../../domain/data-subject';
import { formatJakartaTime } from '../../domain/messages';
import { PRIVATE_FILE_MODE } from '../../lib/private-files';
import { attachmentFolders } from '../../main';
import { AttachmentFolders } from '../../outbound/attachment-folder';
import { Anonymizer } from '../../privacy/anonymizer';
import { buildCitizenExport } from '../../privacy/citizen-export';
import { openRequest, settleRequest } from '../../privacy/data-requests';
import { StoreSubjectResolver } from '../../privacy/subject-resolver';
import type { DataRequestStatus } from '../../store/privacy-records';
import { CommandError, withCommandStore } from '../command-context';
import { operatorOf, receivedAtOf, subjectFromOptions, type RequestOptions } from './citizen-subject';

/**
 * `aduan citizen export|erase|restrict|requests`: a citizen's rights under UU No. 27/2022 (PDP) on the
 * tickets their identifier names. Each is recorded as a request with its 3×24-hour deadline and audited;
 * the audit holds ticket numbers and the masked identifier, never the personal data itself.
 */

export interface ExportOptions extends RequestOptions {
  verifiedBy?: string;
  /** Write the JSON here (owner-only) instead of standard output. */
  out?: string;
}

export async function runCitizenExport(
  config: AppConfig,
  options: ExportOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const ref = subjectFromOptions(options);
  const verifiedBy = options.verifiedBy?.trim();
  if (!verifiedBy)
    throw new CommandError(
      'aduan: ekspor data pribadi tanpa masking wajib menyebut cara identitas pemohon diperiksa: --verified-by "KTP asli dicocokkan di loket" / ' +
        'an unmasked export requires --verified-by saying how the identity was checked',
    );
  const receivedAt = receivedAtOf(options, now);
  return withCommandStore(config, async (store) => {
    const by = operatorOf(options);
    const request = await openRequest(store, 'export', ref, { receivedAt, by, verifiedBy });
    const tickets = await new StoreSubjectResolver(store).resolve(ref);
    const keys = [subjectKey(ref), ...tickets.flatMap((t) => subjectKeysOf(t))];
    const data = await buildCitizenExport(store, tickets, request, keys, verifiedBy, now);
    const json = `${JSON.stringify(data, null, 2)}\n`;
    if (options.out) await writeFile(options.out, json, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    else out.write(json);
    const outcome = `${tickets.length} tiket diekspor`;
    await settleRequest(store, { ...request, verifiedBy }, 'done', outcome, now);
    await store.appendPrivacyAudit({
      at: now.toISOString(),
      action: 'export',
      by,
      detail: {
        request: request.id,
        subject: maskedSubjectKey(request.subject),
        verifiedBy,
        tickets: tickets.map((t) => t.ticketNumber),
        ...(options.out ? { file: options.out } : {}),
      },
    });
    err.write(`${outcome} (${request.id}); ekspor ini TIDAK dimasking: serahkan hanya kepada pemohon.\n`);
    return 0;
  });
}

export interface EraseOptions extends RequestOptions {
  reason?: string;
  force?: boolean;
}

/** Exit code of an erasure refused while a ticket is open: the request stays open. */
export const ERASE_REFUSED = 3;

export async function runCitizenErase(
  config: AppConfig,
  options: EraseOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const ref = subjectFromOptions(options);
  const reason = options.reason?.trim();
  if (!reason)
    throw new CommandError('aduan: sebutkan alasan penghapusan: --reason "…" / an erasure requires --reason');
  const receivedAt = receivedAtOf(options, now);
  return withCommandStore(config, async (store) => {
    const by = operatorOf(options);
    const request = await openRequest(store, 'erase', ref, { receivedAt, by, reason });
    const tickets = (await new StoreSubjectResolver(store).resolve(ref)).filter((t) => !t.anonymized);
    const open = tickets.filter((t) => t.status !== 'resolved');
    if (open.length && !options.force) {
      const numbers = open.map((t) => t.ticketNumber).join(', ');
      const message =
        `Penghapusan ditolak: tiket masih terbuka (${numbers}); selesaikan dulu, atau ulangi dengan --force. ` +
        `Erasure refused: ticket(s) still open (${numbers}); resolve them first, or repeat with --force.`;
      await settleRequest(store, request, 'open', message, now);
      err.write(`${message}\n`);
      return ERASE_REFUSED;
    }
    const anonymizer = new Anonymizer(store, new AttachmentFolders(attachmentFolders(config)));
    const done = await anonymizer.anonymize(tickets, 'erasure', now);
    const numbers = done.anonymized.map((t) => t.ticketNumber);
    const outcome = `${numbers.length} tiket dianonimkan, ${done.filesDeleted} berkas dihapus`;
    await settleRequest(store, { ...request, reason }, 'done', outcome, now);
    await store.appendPrivacyAudit({
      at: now.toISOString(),
      action: 'erase',
      by,
      detail: {
        request: request.id,
        subject: maskedSubjectKey(request.subject),
        reason,
        tickets: numbers,
        filesDeleted: done.filesDeleted,
        ...(open.length ? { forcedOpen: open.map((t) => t.ticketNumber) } : {}),
      },
    });
    out.write(`${outcome}${numbers.length ? `: ${numbers.join(', ')}` : ''} (${request.id}).\n`);
    return 0;
  });
}

export interface RestrictOptions extends RequestOptions {
  lift?: boolean;
  reason?: string;
}

export async function runCitizenRestrict(
  config: AppConfig,
  options: RestrictOptions,
  out: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const ref = subjectFromOptions(options);
  const receivedAt = receivedAtOf(options, now);
  return withCommandStore(config, async (store) => {
    const by = operatorOf(options);
    const kind = options.lift ? 'lift' : 'restrict';
    const reason = options.reason?.trim();
    const request = await openRequest(store, kind, ref, { receivedAt, by, ...(reason ? { reason } : {}) });
    const subject = subjectKey(ref);
    await store.setRestriction(
      subject,
      options.lift ? undefined : { subject, at: now.toISOString(), by, ...(reason ? { reason } : {}) },
    );
    const tickets = await new StoreSubjectResolver(store).resolve(ref);
    const outcome = options.lift
      ? 'pembatasan dicabut: pesan otomatis kepada pelapor berjalan lagi'
      : 'pemrosesan dibatasi: tidak ada pesan otomatis kepada pelapor; surel tim tetap berjalan';
    await settleRequest(store, request, 'done', outcome, now);
    await store.appendPrivacyAudit({
      at: now.toISOString(),
      action: kind,
      by,
      detail: { request: request.id, subject: maskedSubjectKey(subject), tickets: tickets.map((t) => t.ticketNumber) },
    });
    out.write(`${outcome} (${maskedSubjectKey(subject)}, ${tickets.length} tiket saat ini; ${request.id}).\n`);
    return 0;
  });
}

export interface RequestListOptions {
  open?: boolean;
  json?: boolean;
}

export async function runCitizenRequests(
  config: AppConfig,
  options: RequestListOptions,
  out: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  return withCommandStore(config, async (store) => {
    const status: DataRequestStatus | undefined = options.open ? 'open' : undefined;
    const requests = await store.listDataRequests(status);
    const tz = config.service.timeZone;
    for (const r of requests) {
      const left = Math.round((Date.parse(r.deadlineAt) - now.getTime()) / 3_600_000);
      const masked = { ...r, subject: maskedSubjectKey(r.subject) };
      if (options.json) {
        out.write(`${JSON.stringify({ ...masked, hoursLeft: r.status === 'open' ? left : undefined })}\n`);
        continue;
      }
      const state =
        r.status === 'open' ? (left >= 0 ? `terbuka, sisa ${left} jam` : `TERLAMBAT ${-left} jam`) : r.status;
      out.write(
        `${r.id}  ${r.kind.padEnd(8)} ${masked.subject.padEnd(28)} diterima ${formatJakartaTime(r.receivedAt, tz)}  ` +
          `batas ${formatJakartaTime(r.deadlineAt, tz)}  ${state}${r.outcome ? `  — ${r.outcome}` : ''}\n`,
      );
    }
    if (!options.json && requests.length === 0) out.write('Tidak ada permintaan subjek data.\n');
    return 0;
  });
}
