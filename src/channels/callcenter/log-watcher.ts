import { watch, type FSWatcher, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { ComplaintSink } from '../complaint-sink';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import { Checkpoints } from './checkpoint';
import { csvLayout, jsonFieldsOf } from './columns';
import type { CallCenterConfig } from './config-schema';
import { EntryIntake, type EntryStats } from './entry-intake';
import { logKindOf } from './file-patterns';
import { LogFile, type LogKind } from './log-file';
import { SourceHistory, type SourceState } from './source-history';
import { systemClock, type Clock } from '../../domain/clock';

export interface CallCenterDeps {
  config: CallCenterConfig;
  store: Store;
  log: Logger;
  /** service.timeZone; the channel's own `timeZone` wins. */
  timeZone: string;
  alerts?: AdminAlerts;
  /** Sets aside an entry that cannot be read, so the log behind it keeps flowing. */
  poison?: PoisonGuard;
  /**
   * Detect first reads (the service does): a source (folder + patterns) without a marker is imported
   * as history (see source-history.ts). Off: every row is live, as for a source already known.
   */
  firstRead?: boolean;
  /** `aduan import`: every file read from its start belongs to this import; the source marker is left alone. */
  importId?: string;
  clock?: Clock;
}

/** What the last pass saw of a path, so an unchanged file is not opened again. */
interface Seen {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Bytes after the last complete record (a line being written) were left for later. */
  pendingTail: boolean;
}

/**
 * Watches a folder of call-center logs (CSV and JSON lines) and hands every new row over once.
 * Each file is known by a fingerprint of its first bytes, and its checkpoint (byte offset, row,
 * anchor) is saved after every row, so a restart neither re-reads nor skips; a renamed or rotated
 * file keeps its checkpoint, a truncated or replaced one is read from the start (rows already taken
 * in are recognised by their content-derived sourceId). Polling finds changes; file-system events
 * only make the next pass come sooner.
 */
export class CallCenterLogIntake implements ChannelIntake {
  readonly name: string;
  private readonly tracker: HealthTracker;
  private readonly intake: EntryIntake;
  private readonly checkpoints: Checkpoints;
  private readonly seen = new Map<string, Seen>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private scanning: Promise<void> | undefined;
  private sink: ComplaintSink | undefined;
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;
  /** Alerts to re-arm on the next clean pass; both kinds at start, as a problem may predate a restart. */
  private readonly raisedAlerts: Set<string>;
  /** Finished passes over the folder (tests and the demo wait on it). */
  completedScans = 0;
  private readonly sourceHistory: SourceHistory | undefined;
  /** Loaded at the first pass: whether this source is still being imported. */
  private source: SourceState | undefined;

  constructor(private readonly deps: CallCenterDeps) {
    this.name = deps.config.name;
    this.tracker = new HealthTracker(this.name);
    this.checkpoints = new Checkpoints(deps.store, deps.config.name);
    this.raisedAlerts = new Set([`${this.name}:folder`, `${this.name}:columns`]);
    if (deps.importId) this.source = { state: 'importing', importId: deps.importId };
    else if (deps.firstRead) this.sourceHistory = new SourceHistory(deps.store, deps.config, deps.clock ?? systemClock);
    this.intake = new EntryIntake(
      deps.config,
      jsonFieldsOf(deps.config),
      deps.config.timeZone ?? deps.timeZone,
      deps.store,
      deps.log,
      deps.poison,
    );
  }

  async start(sink: ComplaintSink): Promise<void> {
    this.sink = sink;
    // An explicit import (`aduan import`) is driven pass by pass through scanNow: no polling loop of its own.
    if (!this.deps.importId) this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.watcher?.close();
    await this.running;
    await this.scanning;
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }

  stats(): EntryStats {
    return { ...this.intake.stats };
  }

  /** One pass over the folder now (after any pass in progress); for the demo and tests. */
  async scanNow(): Promise<void> {
    const sink = this.sink;
    if (!sink) throw new Error('call-center intake is not started');
    while (this.scanning) await this.scanning;
    this.scanning = this.scan(sink).finally(() => (this.scanning = undefined));
    await this.scanning;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.scanNow();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.tracker.failure(error, 'degraded');
        this.deps.log.error({ err: error, failures }, 'call-center pass failed; trying again');
      }
      this.completedScans += 1;
      this.watchFolder();
      await this.pause(this.deps.config.pollIntervalMs * Math.min(2 ** failures, 60));
    }
  }

  private async scan(sink: ComplaintSink): Promise<void> {
    const { folder } = this.deps.config;
    if (!this.source && this.sourceHistory) {
      this.source = await this.sourceHistory.load();
      if (this.source.state === 'importing')
        this.deps.log.info(
          { importId: this.source.importId },
          'first read of the call-center folder: importing history',
        );
    }
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      await this.needsAdmin(
        'folder',
        error,
        `Folder log call center tidak dapat dibaca`,
        `Folder ${folder} (channels.callCenter.folder) tidak ada atau tidak dapat dibaca, sehingga log call center tidak diambil. Mohon periksa folder dan hak aksesnya.`,
      );
      return;
    }
    const files: Array<{ file: string; kind: LogKind; stats: Stats }> = [];
    for (const name of names) {
      const kind = logKindOf(name, this.deps.config.files);
      if (!kind) continue;
      const file = path.join(folder, name);
      const stats = await stat(file).catch(() => undefined);
      if (stats?.isFile()) files.push({ file, kind, stats });
    }
    // Oldest first: a rotated file is finished before the one that replaced it.
    files.sort((a, b) => a.stats.mtimeMs - b.stats.mtimeMs || a.file.localeCompare(b.file));
    const queuedBefore = this.intake.stats.queued;
    let layoutProblem: string | undefined;
    for (const { file, kind, stats } of files) {
      if (this.abort.signal.aborted) return;
      layoutProblem = (await this.readFile(file, kind, stats, sink)) ?? layoutProblem;
    }
    if (layoutProblem) {
      await this.needsAdmin(
        'columns',
        new Error(layoutProblem),
        'Kolom log call center tidak sesuai konfigurasi',
        `${layoutProblem}\n\nBaris dari file ini tidak diambil sampai channels.callCenter.columns disesuaikan dengan judul kolom file.`,
      );
      return;
    }
    if (this.source?.state === 'importing' && !this.deps.importId && !this.abort.signal.aborted)
      await this.finishImport(sink, this.source.importId);
    await this.resolveAlerts();
    this.tracker.success(this.intake.stats.queued - queuedBefore);
  }

  /** After the first complete pass: the admins' summary, then the source is live. */
  private async finishImport(sink: ComplaintSink, importId: string): Promise<void> {
    await sink.finishImport?.(importId, 'call-center');
    await this.sourceHistory?.markLive(importId);
    this.source = { state: 'live', importId };
    this.deps.log.info({ importId }, 'call-center folder is live');
  }

  /** The import the rows of a file belong to: files read from their start while the source is imported. */
  private firstReadOf(checkpoint: { firstRead?: string } | undefined): string | undefined {
    if (this.source?.state !== 'importing') return undefined;
    if (!checkpoint) return this.source.importId;
    return checkpoint.firstRead === this.source.importId ? checkpoint.firstRead : undefined;
  }

  /** Reads what is new in one file; returns a problem that needs the admin (columns not found). */
  private async readFile(file: string, kind: LogKind, stats: Stats, sink: ComplaintSink): Promise<string | undefined> {
    const { config, log } = this.deps;
    const seen = this.seen.get(file);
    const final = Date.now() - stats.mtimeMs >= config.incompleteLineGraceMs;
    const unchanged =
      seen &&
      seen.dev === stats.dev &&
      seen.ino === stats.ino &&
      seen.size === stats.size &&
      seen.mtimeMs === stats.mtimeMs;
    if (unchanged && !(seen.pendingTail && final)) return undefined;

    const name = path.basename(file);
    const handle = await open(file, 'r').catch(() => undefined);
    if (!handle) return undefined; // renamed or removed since the listing: the next pass sees it under its new name
    try {
      const opened = await handle.stat();
      const logFile = new LogFile(handle, opened.size, kind, config, final);
      const head = await logFile.head();
      const remember = (pendingTail: boolean) =>
        this.seen.set(file, {
          dev: opened.dev,
          ino: opened.ino,
          size: opened.size,
          mtimeMs: opened.mtimeMs,
          pendingTail,
        });
      // No complete first record yet: look again when it changes (or, once, when it has gone quiet).
      if (!head) return void remember(opened.size > 0 && !final);

      let layout: ReturnType<typeof csvLayout> | undefined;
      if (kind === 'csv') {
        layout = csvLayout(config.columns, head.header);
        if (!layout.ok) return `${name}: ${layout.reason}`;
      }
      let offset = head.dataStart;
      let row = head.firstRow;
      const checkpoint = await this.checkpoints.load(head.fileId);
      let firstRead = this.firstReadOf(checkpoint);
      if (checkpoint) {
        const valid =
          checkpoint.offset >= head.dataStart &&
          (await logFile.anchorMatches(checkpoint.anchorFrom, checkpoint.offset, checkpoint.anchor));
        if (valid) {
          [offset, row] = [checkpoint.offset, checkpoint.nextRow];
          if (checkpoint.file !== name)
            log.info({ from: checkpoint.file, to: name }, 'call-center log renamed; continuing from its checkpoint');
        } else {
          log.info(
            { file: name },
            'call-center log changed under its checkpoint (truncated or rewritten); reading it again from the start',
          );
          firstRead = this.firstReadOf(undefined);
        }
      }
      for await (const entry of logFile.entries(offset, row, head)) {
        if (this.abort.signal.aborted) break;
        await this.intake.take(entry, name, layout?.ok ? layout : undefined, sink, firstRead);
        await this.checkpoints.save(head.fileId, {
          offset: entry.end,
          nextRow: entry.row + 1,
          anchorFrom: entry.anchorFrom,
          anchor: entry.anchor,
          file: name,
          ...(firstRead ? { firstRead } : {}),
        });
        offset = entry.end;
      }
      remember(!this.abort.signal.aborted && offset < opened.size);
      return undefined;
    } finally {
      await handle.close();
    }
  }

  private async needsAdmin(what: string, error: unknown, subject: string, text: string): Promise<void> {
    const before = this.tracker.snapshot();
    this.tracker.failure(error, 'failed');
    // Logged and alerted once per problem, not on every pass while it lasts.
    if (before.state === 'failed' && before.lastError === this.tracker.snapshot().lastError) return;
    this.deps.log.error({ err: error }, `call-center ${what} problem; needs an admin`);
    const key = `${this.name}:${what}`;
    this.raisedAlerts.add(key);
    await this.deps.alerts
      ?.raise(key, subject, text)
      .catch((alertError: unknown) => this.deps.log.warn({ err: alertError }, 'admin alert could not be sent'));
  }

  private async resolveAlerts(): Promise<void> {
    for (const key of this.raisedAlerts) await this.deps.alerts?.resolve(key).catch(() => undefined);
    this.raisedAlerts.clear();
  }

  /** Events make the next pass come sooner; a folder that cannot be watched is still polled. */
  private watchFolder(): void {
    if (this.watcher || this.abort.signal.aborted) return;
    try {
      this.watcher = watch(this.deps.config.folder, { persistent: false }, () => this.wake?.());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private async pause(ms: number): Promise<void> {
    const early = new AbortController();
    this.wake = () => early.abort();
    const onStop = () => early.abort();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    // A short settle after an event, so a burst of writes is read in one pass.
    await sleep(ms, early.signal);
    this.abort.signal.removeEventListener('abort', onStop);
    this.wake = undefined;
    if (!this.abort.signal.aborted && early.signal.aborted) await sleep(Math.min(ms, 50), this.abort.signal);
  }
}
