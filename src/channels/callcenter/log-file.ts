import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { CallCenterConfig } from './config-schema';
import { detectDelimiter, parseCsvChunk, type CsvChunk } from './csv-chunk';
import { splitJsonLines } from './jsonl-chunk';

export type LogKind = 'csv' | 'jsonl';

/** What identifies a log file and where its data starts. */
export interface LogHead {
  /**
   * Hash of the file's first bytes up to the end of its first data record (at most 4 KiB): it stays
   * the same while the file grows, is renamed or copied, and changes when the file is replaced.
   */
  fileId: string;
  dataStart: number;
  /** Row number of the first data record (2 below a header: rows are numbered as Excel shows them). */
  firstRow: number;
  header?: string[];
  delimiter?: string;
}

export type EntryContent =
  { kind: 'csv'; fields: string[] } | { kind: 'json-line'; text: string } | { kind: 'error'; reason: string };

export interface LogEntry {
  row: number;
  /** Offset just past the entry: where reading resumes. */
  end: number;
  /** Hash of the bytes [anchorFrom, end): lets a checkpoint notice a file rewritten under it. */
  anchorFrom: number;
  anchor: string;
  content: EntryContent;
}

const HEAD_BYTES = 64 * 1024;
const BATCH_BYTES = 256 * 1024;
const FINGERPRINT_MAX = 4096;
const ANCHOR_BYTES = 64;

/**
 * Incremental reading of one open log file up to the size it had when opened: only complete
 * records, with the byte offset after each, so a checkpoint can resume exactly there.
 */
export class LogFile {
  constructor(
    private readonly fd: FileHandle,
    /** The size when opened; bytes written later are read on the next pass. */
    readonly size: number,
    private readonly kind: LogKind,
    private readonly config: Pick<CallCenterConfig, 'csv' | 'maxRecordBytes'>,
    /** The file has stopped changing: an unterminated last record is taken too. */
    private readonly final: boolean,
  ) {}

  /** Undefined while the file has no complete first data record yet. */
  async head(): Promise<LogHead | undefined> {
    for (let length = Math.min(this.size, HEAD_BYTES); ; length = Math.min(this.size, length * 2)) {
      const buf = await this.read(0, length);
      const atEnd = length === this.size;
      const head = this.kind === 'csv' ? this.csvHead(buf, atEnd) : this.jsonlHead(buf, atEnd);
      if (head || atEnd || length >= this.config.maxRecordBytes * 2) return head;
    }
  }

  private csvHead(buf: Buffer, atEnd: boolean): LogHead | undefined {
    const { delimiter: configured, encoding, hasHeader } = this.config.csv;
    // Delimiters and quotes are ASCII: latin1 shows them at the same place in either encoding.
    const headText = buf.toString('latin1', 0, Math.min(buf.length, 8192));
    const delimiter = configured === 'auto' ? detectDelimiter(headText) : configured;
    const records = parseCsvChunk(buf, {
      delimiter,
      encoding,
      atFileStart: true,
      final: this.final && atEnd,
    }).items.filter((i) => i.kind === 'record');
    const [first, second] = records;
    const firstData = hasHeader ? second : first;
    if (!firstData) return undefined;
    return {
      fileId: fingerprint(buf, firstData.end),
      dataStart: hasHeader ? first!.end : 0,
      firstRow: hasHeader ? 2 : 1,
      ...(hasHeader ? { header: first!.fields } : {}),
      delimiter,
    };
  }

  private jsonlHead(buf: Buffer, atEnd: boolean): LogHead | undefined {
    // Blank leading lines would make every such file look alike: identify by the first real line.
    const first = splitJsonLines(buf, { atFileStart: true, final: this.final && atEnd }).lines.find(
      (l) => l.text.trim() !== '',
    );
    if (!first) return undefined;
    return { fileId: fingerprint(buf, first.end), dataStart: 0, firstRow: 1 };
  }

  /** Complete entries from `from` (a record boundary) to the size at opening. */
  async *entries(from: number, firstRow: number, head: LogHead): AsyncGenerator<LogEntry> {
    let position = from;
    let row = firstRow;
    let batch = BATCH_BYTES;
    while (position < this.size) {
      const length = Math.min(this.size - position, batch);
      const buf = await this.read(position, length);
      const atEnd = position + length === this.size;
      let chunk = this.parse(buf, head, position === 0, this.final && atEnd);
      let forced = false;
      if (chunk.consumed === 0 && chunk.items.length === 0) {
        if (atEnd) return;
        if (length < this.config.maxRecordBytes) {
          batch *= 2;
          continue;
        }
        // No complete record in a batch as large as a record may be: take it as it is (it ends up quarantined).
        chunk = this.parse(buf, head, position === 0, true);
        forced = true;
      }
      for (const item of chunk.items) {
        const anchorFrom = Math.max(0, item.end - ANCHOR_BYTES);
        const entry: LogEntry = {
          row,
          end: position + item.end,
          anchorFrom: position + anchorFrom,
          anchor: hash(buf.subarray(anchorFrom, item.end)).slice(0, 16),
          content:
            forced && item.kind === 'error'
              ? { kind: 'error', reason: `record longer than ${this.config.maxRecordBytes} bytes` }
              : item.content,
        };
        row += 1;
        yield entry;
      }
      position += chunk.consumed;
      batch = BATCH_BYTES;
    }
  }

  /** Whether the bytes before a checkpoint are still the ones read then. */
  async anchorMatches(anchorFrom: number, end: number, anchor: string): Promise<boolean> {
    if (end > this.size || anchorFrom > end) return false;
    return hash(await this.read(anchorFrom, end - anchorFrom)).slice(0, 16) === anchor;
  }

  private parse(
    buf: Buffer,
    head: LogHead,
    atFileStart: boolean,
    final: boolean,
  ): { consumed: number; items: Array<{ end: number; kind: string; content: EntryContent }> } {
    if (this.kind === 'jsonl') {
      const { lines, consumed } = splitJsonLines(buf, { atFileStart, final });
      return {
        consumed,
        items: lines.map((l) => ({ end: l.end, kind: 'record', content: { kind: 'json-line', text: l.text } })),
      };
    }
    const chunk: CsvChunk = parseCsvChunk(buf, {
      delimiter: head.delimiter ?? ',',
      encoding: this.config.csv.encoding,
      atFileStart,
      final,
    });
    return {
      consumed: chunk.consumed,
      items: chunk.items.map((i) => ({
        end: i.end,
        kind: i.kind,
        content: i.kind === 'record' ? { kind: 'csv', fields: i.fields } : { kind: 'error', reason: i.reason },
      })),
    };
  }

  private async read(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.fd.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  }
}

/** The first data record's bytes without its line break, so finishing that line later keeps the id. */
function fingerprint(buf: Buffer, firstDataEnd: number): string {
  let end = Math.min(firstDataEnd, FINGERPRINT_MAX);
  while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end -= 1;
  return hash(buf.subarray(0, end)).slice(0, 24);
}

function hash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
