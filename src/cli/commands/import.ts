import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CallCenterConfig } from '../../channels/callcenter/config-schema';
import { CallCenterLogIntake } from '../../channels/callcenter/log-watcher';
import type { ComplaintSink, ImportSummary, SubmitResult } from '../../channels/complaint-sink';
import { firstReadSink } from '../../channels/first-read';
import type { AppConfig } from '../../config/schema';
import { systemClock, type Clock } from '../../domain/clock';
import { officeDate } from '../../domain/sla';
import type { Logger } from '../../lib/logger';
import { openImport } from './import-run';

export interface ImportOptions {
  /** A log file to import; default: every file of the channel's configured folder not read yet. */
  file?: string;
  /** Only records from this office date on (YYYY-MM-DD); older ones are left out. */
  since?: string;
}

/** Channels whose archives `aduan import` reads (through the channel's own adapter). */
export const IMPORTABLE_CHANNELS = ['call-center', 'email'] as const;

/**
 * Imports an archive on purpose (docs/importing-history.md): every record is read through the channel's
 * real adapter as a first read, so records older than the channel's history age become historical
 * tickets (no message to anyone) and newer ones are live work. The admins get one summary. Running it
 * again on the same file continues the same import (a crash mid-way) and adds nothing twice.
 *
 * Like `aduan intake`, it starts none of the service's machinery (workers, sweeps, schedulers): it
 * writes the store and runs the intake step for each live record here, and queues the record's effects
 * for the running service's workers. Redis is needed only once a live record turns up.
 */
export async function runImport(
  config: AppConfig,
  configDir: string,
  channel: string,
  options: ImportOptions,
  log: Logger,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  clock: Clock = systemClock,
): Promise<number> {
  if (!(IMPORTABLE_CHANNELS as readonly string[]).includes(channel)) {
    err.write(`Kanal "${channel}" tidak dapat diimpor; yang dapat: ${IMPORTABLE_CHANNELS.join(', ')}\n`);
    return 2;
  }
  if (options.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.since)) {
    err.write(`--since "${options.since}" bukan tanggal seperti 2026-08-01\n`);
    return 2;
  }
  if (channel === 'email') return runEmailImport(config, configDir, options, log, out, err, clock);
  const section = config.channels.callCenter;
  if (!section) {
    err.write('channels.callCenter belum dikonfigurasi (kolom dan format log diperlukan untuk membaca arsip)\n');
    return 2;
  }
  const source = sourceOf(section, options.file);
  if ('problem' in source) {
    err.write(`${source.problem}\n`);
    return 1;
  }
  const importId = `import:${channel}:${source.fingerprint}${options.since ? `:since-${options.since}` : ''}`;
  const run = await openImport(config, configDir, log, clock);
  try {
    const counting = new CountingSink(run.sink, options.since, config.service.timeZone);
    const watcher = new CallCenterLogIntake({
      config: { ...section, ...source.config, enabled: true },
      store: run.store,
      alerts: run.alerts,
      timeZone: config.service.timeZone,
      log: log.child({ channel: section.name, importId }),
      importId,
      clock,
    });
    await watcher.start(counting);
    try {
      await watcher.scanNow();
    } finally {
      await watcher.stop();
    }
    run.throwIfRedisNeeded();
    const health = watcher.health();
    if (health.state === 'failed') {
      err.write(`Impor gagal: ${health.lastError ?? 'sumber tidak dapat dibaca'}\n`);
      return 1;
    }
    const summary = await run.sink.finishImport(importId, channel);
    const { duplicate, quarantined } = watcher.stats(); // rows quarantined before the sink count too
    out.write(report(summary, { ...counting.counts, duplicate, quarantined }, config.service.timeZone));
    run.noticeIfPostponed(err);
    return 0;
  } catch (error) {
    run.throwIfRedisNeeded();
    throw error;
  } finally {
    await run.close();
  }
}

/**
 * Mail exported from a mail program: a folder of .eml files (`--file` names the folder or one file's
 * folder), parsed and normalized as IMAP mail is. The source time is the mail's Date header.
 */
async function runEmailImport(
  config: AppConfig,
  configDir: string,
  options: ImportOptions,
  log: Logger,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  clock: Clock,
): Promise<number> {
  const given = options.file;
  const stats = given ? statSync(given, { throwIfNoEntry: false }) : undefined;
  if (!given || !stats) {
    err.write(
      given ? `Folder ${given} tidak ada\n` : '--file FOLDER (folder berisi file .eml) wajib untuk kanal email\n',
    );
    return given ? 1 : 2;
  }
  const folder = path.resolve(stats.isDirectory() ? given : path.dirname(given));
  const names = readdirSync(folder)
    .filter((name) => name.toLowerCase().endsWith('.eml'))
    .sort();
  const importId = `import:email:${hash(`${folder}|${names.join('/')}`)}${options.since ? `:since-${options.since}` : ''}`;
  const run = await openImport(config, configDir, log, clock);
  try {
    const counting = new CountingSink(run.sink, options.since, config.service.timeZone);
    // Loaded only here: the mail parser is not needed by any other command.
    const { EmlFolderIntake } = await import('../../channels/email/eml-folder-intake');
    const reader = EmlFolderIntake.fromConfig(folder, config, run.store, log);
    await reader.start(firstReadSink(counting, importId));
    await reader.drained();
    run.throwIfRedisNeeded();
    if (reader.health().state === 'failed') {
      err.write(`Impor gagal: ${reader.health().lastError ?? 'folder tidak dapat dibaca'}\n`);
      return 1;
    }
    const summary = await run.sink.finishImport(importId, 'email');
    out.write(report(summary, counting.counts, config.service.timeZone));
    run.noticeIfPostponed(err);
    return 0;
  } finally {
    await run.close();
  }
}

/** The folder and patterns to read, and a fingerprint that names the import (the same file: the same import). */
function sourceOf(
  section: CallCenterConfig,
  file: string | undefined,
): { config: Pick<CallCenterConfig, 'folder' | 'files'>; fingerprint: string } | { problem: string } {
  if (!file) {
    const folder = path.resolve(section.folder);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      return { problem: `Folder ${section.folder} (channels.callCenter.folder) tidak ada` };
    // The folder's content names the import: files added later make a new import with its own summary.
    const names = readdirSync(folder).sort();
    return {
      config: { folder: section.folder, files: section.files },
      fingerprint: hash(`${folder}|${names.join('/')}`),
    };
  }
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) return { problem: `File ${file} tidak ada atau bukan file biasa` };
  const name = path.basename(file);
  const jsonl = /\.(jsonl|ndjson)$/i.test(name);
  // A name with glob characters stands for itself only.
  const pattern = name.replace(/[*?[\]{}]/g, '?');
  return {
    config: {
      folder: path.dirname(path.resolve(file)),
      files: { csv: jsonl ? [] : [pattern], jsonl: jsonl ? [pattern] : [], ignore: [] },
    },
    fingerprint: `${name}-${hash(`${path.resolve(file)}|${stats.size}|${stats.mtimeMs}`)}`,
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Counts what the import handed over and leaves out records before --since. */
class CountingSink implements ComplaintSink {
  readonly counts = { historical: 0, live: 0, skipped: 0, duplicate: 0, quarantined: 0 };

  constructor(
    private readonly inner: ComplaintSink,
    private readonly since: string | undefined,
    private readonly timeZone: string,
  ) {}

  async submit(candidate: unknown, origin: Parameters<ComplaintSink['submit']>[1]): Promise<SubmitResult> {
    const at = (candidate as { receivedAt?: unknown })?.receivedAt;
    if (
      this.since &&
      typeof at === 'string' &&
      !Number.isNaN(Date.parse(at)) &&
      officeDate(at, this.timeZone) < this.since
    ) {
      this.counts.skipped += 1;
      return { status: 'duplicate' };
    }
    const result = await this.inner.submit(candidate, origin);
    if (result.status === 'queued') this.counts[result.historical ? 'historical' : 'live'] += 1;
    else this.counts[result.status] += 1;
    return result;
  }
}

function report(summary: ImportSummary | undefined, counts: CountingSink['counts'], zone: string): string {
  const { historical, live, skipped, duplicate, quarantined } = counts;
  const all = summary?.historical ?? historical;
  const range =
    summary?.first && summary.last ? ` (${officeDate(summary.first, zone)} … ${officeDate(summary.last, zone)})` : '';
  const lines = [
    `Impor ${summary?.importId ?? ''}`.trim(),
    `  Tiket historis baru           : ${historical} (seluruh impor ini: ${all}${range})`,
    `  Pengaduan baru diteruskan     : ${live}`,
    `  Sudah ada sebelumnya          : ${duplicate}`,
    `  Dikarantina                   : ${quarantined}`,
    ...(skipped ? [`  Sebelum --since (dilewati)    : ${skipped}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
