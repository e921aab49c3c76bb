import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import { checkRowWidth, csvValues, jsonLabels, jsonValues, type ColumnLabels, type CsvLayout } from './columns';
import type { CallCenterConfig } from './config-schema';
import type { LogEntry } from './log-file';
import { normalizeCall, type NormalizedCall } from './normalize';

export interface EntryStats {
  queued: number;
  duplicate: number;
  quarantined: number;
  blank: number;
}

/**
 * Hands one log entry over: a complaint to the sink, a bad row to the quarantine with its file, row
 * and reason. Resolves once durable; throws only when neither could be made durable.
 */
export class EntryIntake {
  readonly stats: EntryStats = { queued: 0, duplicate: 0, quarantined: 0, blank: 0 };
  private readonly jsonFields: NonNullable<CallCenterConfig['jsonFields']>;
  private readonly jsonColumnLabels: ColumnLabels;

  constructor(
    private readonly config: CallCenterConfig,
    jsonFields: NonNullable<CallCenterConfig['jsonFields']>,
    private readonly timeZone: string,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly poison?: PoisonGuard,
  ) {
    this.jsonFields = jsonFields;
    this.jsonColumnLabels = jsonLabels(jsonFields);
  }

  async take(
    entry: LogEntry,
    file: string,
    layout: Extract<CsvLayout, { ok: true }> | undefined,
    sink: ComplaintSink,
    /** The import this file's rows belong to on a first read (see source-history.ts). */
    firstRead?: string,
  ): Promise<void> {
    const outcome = await this.read(entry, file, layout);
    if (outcome === undefined) {
      this.stats.quarantined += 1;
      return;
    }
    if (outcome.kind === 'blank') {
      this.stats.blank += 1;
      return;
    }
    if (outcome.kind === 'bad') {
      await this.store.quarantine({
        channel: 'call-center',
        sourceId: `${file}#${entry.row}`,
        reason: `${file} row ${entry.row}: ${outcome.reason}`,
        payload: JSON.stringify({
          file,
          row: entry.row,
          ...(entry.content.kind === 'csv'
            ? { fields: entry.content.fields }
            : entry.content.kind === 'json-line'
              ? { line: entry.content.text.slice(0, 100_000) }
              : {}),
        }),
      });
      this.log.warn({ file, row: entry.row, reason: outcome.reason }, 'call-center row quarantined');
      this.stats.quarantined += 1;
      return;
    }
    const result = await sink.submit(outcome.complaint, {
      channel: 'call-center',
      hint: `${file}:${entry.row}`,
      ...(firstRead ? { firstRead } : {}),
    });
    this.stats[result.status] += 1;
    if (result.status === 'duplicate') this.log.debug({ file, row: entry.row }, 'call-center row already taken in');
  }

  /** The entry normalized; undefined when the poison guard set it aside (quarantined with its bytes). */
  private async read(
    entry: LogEntry,
    file: string,
    layout: Extract<CsvLayout, { ok: true }> | undefined,
  ): Promise<NormalizedCall | undefined> {
    if (!this.poison) return this.normalize(entry, file, layout);
    const content = entry.content;
    const raw = () =>
      content.kind === 'csv'
        ? JSON.stringify(content.fields)
        : content.kind === 'json-line'
          ? content.text
          : content.reason;
    const reading = await this.poison.read(
      {
        scope: `call-center:${this.config.name}`,
        channel: 'call-center',
        key: `${file}#${entry.row}@${entry.anchor}`,
        origin: `${file} row ${entry.row}`,
        raw,
      },
      () => this.normalize(entry, file, layout),
    );
    return reading.kind === 'read' ? reading.value : undefined;
  }

  private normalize(
    entry: LogEntry,
    file: string,
    layout: Extract<CsvLayout, { ok: true }> | undefined,
  ): NormalizedCall {
    const context = {
      timeZone: this.timeZone,
      dateOrder: this.config.dateOrder,
      file,
      row: entry.row,
      whatsappOptIn: this.config.whatsappInitialResponse,
    };
    const content = entry.content;
    if (content.kind === 'error') return { kind: 'bad', reason: content.reason };
    if (content.kind === 'csv') {
      if (!layout) return { kind: 'bad', reason: 'no column layout' };
      if (content.fields.every((f) => f.trim() === '')) return { kind: 'blank' };
      const row = checkRowWidth(content.fields, layout);
      if (!row.ok) return { kind: 'bad', reason: row.reason };
      return normalizeCall(csvValues(row.fields, layout), layout.labels, context);
    }
    if (content.text.trim() === '') return { kind: 'blank' };
    let record: unknown;
    try {
      record = JSON.parse(content.text);
    } catch (error) {
      // The parser's message quotes the line; keep only where it broke (the reason is logged).
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      return { kind: 'bad', reason: `not valid JSON${position ? ` (at character ${position})` : ''}` };
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      return { kind: 'bad', reason: 'line is not a JSON object' };
    return normalizeCall(jsonValues(record, this.jsonFields), this.jsonColumnLabels, context);
  }
}
