import { parse } from 'csv-parse/sync';
import { detectEncoding, windows1252AsUtf8, type TextEncodingSetting } from '../../lib/text-encoding';

/**
 * Parses a byte range of a CSV file that starts at a record boundary, with csv-parse (RFC 4180 and
 * Excel quoting: quoted delimiters, doubled quotes, line breaks inside quotes; BOM; CRLF/LF/CR).
 * Only records whose line break was seen count as complete, so a half-written last line stays
 * unread until the writer finishes it, unless `final` says the file is done.
 */

export interface CsvChunkOptions {
  delimiter: string;
  /** `auto`: UTF-8 when the bytes are UTF-8 (or start with a BOM), else Windows-1252. */
  encoding: TextEncodingSetting;
  /** The range starts at byte 0 (a BOM may be there). */
  atFileStart: boolean;
  /** Take an unterminated last record too (the file has stopped changing). */
  final: boolean;
}

export type ChunkItem =
  /** `end`: offset just past the record (its line break included), relative to the chunk. */
  { kind: 'record'; fields: string[]; end: number } | { kind: 'error'; reason: string; end: number };

export interface CsvChunk {
  items: ChunkItem[];
  /** Bytes fully handled; the rest (a record still being written) is read again next time. */
  consumed: number;
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

export function parseCsvChunk(chunk: Buffer, options: CsvChunkOptions): CsvChunk {
  if (chunk.length === 0) return { items: [], consumed: 0 };
  // Decided per chunk: a file written in one encoding gives the same answer for every chunk (ASCII
  // reads the same in both), and a log that grows is decided again as it grows.
  const encoding = detectEncoding(chunk, options.encoding, { cutAtEnd: !options.final });
  if (encoding === 'utf8') return parseUtf8Chunk(chunk, options);
  // Windows-1252: parse a UTF-8 copy, then give offsets (record ends, what was consumed) in file bytes.
  const { utf8, sourceOffset } = windows1252AsUtf8(chunk);
  const parsed = parseUtf8Chunk(utf8, options);
  const items = parsed.items.map((item) => ({ ...item, end: sourceOffset(item.end) }));
  return { items, consumed: sourceOffset(parsed.consumed) };
}

function parseUtf8Chunk(chunk: Buffer, options: CsvChunkOptions): CsvChunk {
  const skipped: Array<{ code: string; message: string; records: number }> = [];
  // csv-parse builds an Error for every row whose field count differs from the header's (kept only if
  // the row is skipped); capturing a stack trace for each made a file of 250,000 one-field rows take
  // 10 s instead of 4. The parse is synchronous, so the limit is restored before anything else runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let parsed: ParsedRecord[];
  try {
    parsed = parse(chunk, {
      delimiter: options.delimiter,
      encoding: 'utf8',
      bom: options.atFileStart,
      info: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      on_skip: (error) => {
        const e = error as unknown as { code?: string; message: string; records?: number };
        skipped.push({
          code: e?.code ?? 'CSV_ERROR',
          message: e?.message ?? 'unreadable record',
          records: e?.records ?? 0,
        });
        return undefined;
      },
    }) as unknown as ParsedRecord[];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }

  const last = chunk[chunk.length - 1];
  const terminated = last === 0x0a || last === 0x0d;
  const quoteOpenAtEnd = skipped.some((s) => s.code === 'CSV_QUOTE_NOT_CLOSED');
  const records = parsed.map((r) => ({ kind: 'record' as const, fields: r.record, end: r.info.bytes }));
  // csv-parse flushes the unterminated last record as if complete: hold it back until its line break arrives.
  if (!options.final && !terminated && records.at(-1)?.end === chunk.length) records.pop();

  const items: ChunkItem[] = [...records];
  let consumed = records.at(-1)?.end ?? 0;
  for (const skip of skipped) {
    if (skip.code === 'CSV_QUOTE_NOT_CLOSED' && !options.final) continue; // still being written
    const before = records[Math.min(skip.records, records.length) - 1]?.end ?? 0;
    const end = skip.code === 'CSV_QUOTE_NOT_CLOSED' ? chunk.length : before;
    items.push({ kind: 'error', reason: explain(skip.code, skip.message), end });
    consumed = Math.max(consumed, end);
  }
  items.sort((a, b) => a.end - b.end);
  if (options.final && !quoteOpenAtEnd) consumed = chunk.length;
  return { items, consumed };
}

function explain(code: string, message: string): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed (missing ")';
  return `unreadable CSV record: ${message.split(':')[0]}`;
}

const CANDIDATES = [';', ',', '\t', '|'] as const;

/** The delimiter of a header line: the candidate that occurs most often outside quotes (`,` on a tie or none). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of headerLine.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    if (ch === '\n' && !quoted) break;
  }
  let best = ',';
  let bestCount = counts.get(',')!;
  for (const [candidate, count] of counts) {
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}
