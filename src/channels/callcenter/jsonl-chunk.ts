import { decodeText } from '../../lib/text-encoding';

/**
 * Splits a byte range of a JSON-lines file (starting at a line boundary) into complete lines. A last
 * line without its line break stays unread unless `final`. JSON should be UTF-8, but a line that is
 * not (a phone system on a Windows code page) is read as Windows-1252 rather than garbled.
 */

export interface JsonlLine {
  /** The line without its line break (and without a BOM at the file start). */
  text: string;
  /** Offset just past the line break, relative to the chunk. */
  end: number;
}

export function splitJsonLines(
  chunk: Buffer,
  options: { atFileStart: boolean; final: boolean },
): { lines: JsonlLine[]; consumed: number } {
  const lines: JsonlLine[] = [];
  let start = 0;
  for (;;) {
    const newline = chunk.indexOf(0x0a, start);
    const end = newline === -1 ? chunk.length : newline + 1;
    if (newline === -1 && (!options.final || start >= chunk.length)) break;
    let text = decodeText(chunk.subarray(start, newline === -1 ? end : newline), 'auto').replace(/\r$/, '');
    if (start === 0 && options.atFileStart) text = text.replace(/^\uFEFF/, '');
    lines.push({ text, end });
    start = end;
    if (newline === -1) break;
  }
  return { lines, consumed: start };
}
