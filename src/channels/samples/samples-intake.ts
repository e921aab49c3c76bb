import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import { FolderOnceIntake } from '../folder-once-intake';
import { slipLine, walkInLine } from '../offline/normalize';
import { parseRecordLine, type ParsedLine } from './normalize';

/**
 * Reads complaint records (JSON lines) from every *.jsonl file in a folder, once: walk-in*.jsonl and
 * suggestion-box*.jsonl as staff type them for `aduan intake`, other files as normalized records. The
 * cursor per file is the number of lines handled, saved after each line is durably submitted, so a
 * restart continues where it stopped.
 */
export class SamplesIntake extends FolderOnceIntake {
  constructor(
    private readonly folder: string,
    private readonly store: Store,
    log: Logger,
    private readonly timeZone: string,
  ) {
    super('samples', log);
  }

  protected async readAll(sink: ComplaintSink): Promise<void> {
    const files = (await readdir(this.folder)).filter((f) => f.endsWith('.jsonl')).sort();
    for (const file of files) {
      if (this.stopping) return;
      await this.readFile(path.join(this.folder, file), sink);
    }
    this.tracker.success();
  }

  private async readFile(file: string, sink: ComplaintSink): Promise<void> {
    const cursorKey = `samples:${path.resolve(file)}`;
    const done = Number((await this.store.getCursor(cursorKey)) ?? '0');
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (lineNo <= done || line.trim() === '') continue;
      if (this.stopping) break;
      const parsed = this.parse(path.basename(file), line, lineNo);
      const origin = { channel: this.name, hint: `${path.basename(file)}:${lineNo}` };
      if (parsed.ok) await sink.submit(parsed.record, origin);
      else await sink.submit({ sourceId: `${path.basename(file)}:${lineNo}`, invalidLine: line.slice(0, 2000), parseError: parsed.reason }, origin);
      await this.store.setCursor(cursorKey, String(lineNo));
      this.tracker.success(1);
    }
    lines.close();
  }

  /** Offline samples are in the format staff type for `aduan intake`; other files hold normalized records. */
  private parse(file: string, line: string, lineNo: number): ParsedLine {
    const offline = /^walk-in/i.test(file) ? walkInLine : /^suggestion-box/i.test(file) ? slipLine : undefined;
    if (!offline) return parseRecordLine(line);
    const normalized = offline(line, lineNo, { timeZone: this.timeZone, now: new Date() });
    return normalized.ok ? { ok: true, record: normalized.complaint } : { ok: false, reason: normalized.reason };
  }
}
