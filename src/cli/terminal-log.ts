import type { DestinationStream } from 'pino';
import { terminalSafe } from '../lib/terminal-safe';

/**
 * Log lines for a person at a terminal: `09:15:02 WARN  message (key=value …)` in local time instead of
 * pino's JSON, which the service keeps for its log collector. The logger's own destination (with its
 * personal-data scrubbing) still does the masking: this only reformats the serialized line.
 */
export function humanLogDestination(inner: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      inner.write(formatLogLine(line));
    },
  };
}

const OMIT = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${oneLine(line.replace(/\n$/, ''))}\n`;
  }
  const time = typeof entry.time === 'string' ? new Date(entry.time) : new Date();
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0'));
  const level = String(entry.level ?? 'info')
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${describe(value)}`);
  const err = entry.err as { message?: string } | undefined;
  const rest = fields.filter((f) => !f.startsWith('err='));
  const tail = [err?.message ? `error: ${err.message}` : '', rest.length ? `(${rest.join(' ')})` : '']
    .filter(Boolean)
    .join(' ');
  return `${oneLine(`${clock.join(':')} ${level} ${String(entry.msg ?? '')}${tail ? ` ${tail}` : ''}`)}\n`;
}

/** JSON escaped them; as text, control characters (a Message-ID's ESC, a value's line feed) are shown, not obeyed. */
function oneLine(text: string): string {
  return terminalSafe(text).replace(/\n/g, '\\n');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
