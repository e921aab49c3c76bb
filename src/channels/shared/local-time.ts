import { zoneOffsetMinutes } from '../../domain/sla';
/**
 * Turns the time notations portals and call-center logs use into an ISO 8601 instant with the
 * office's offset. A time without an offset is office-local (e.g. Asia/Jakarta, always +07:00);
 * one with `Z` or `±HH:MM` keeps its instant. Pure: the zone maths use Intl only.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export type ParsedTime = { ok: true; iso: string; epochMs: number } | { ok: false; reason: string };

// 2026-11-30T10:15, 2026-11-30 10:15:00.123+07:00, 2026-11-30T03:15:00Z
const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// 30/11/2026 10.15, 30-11-26 10:15:00, 11/30/2026 10:15 AM (dateOrder decides day/month)
const NUMERIC =
  /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[T\s,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(am|pm)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/** Excel day numbers (days since 1899-12-30) between 1954 and 2119; anything else numeric is epoch. */
const EXCEL_SERIAL_MIN = 20_000;
const EXCEL_SERIAL_MAX = 80_000;
const LATEST_EPOCH_MS = Date.UTC(2201, 0, 1);

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

export function parseOfficeTime(raw: unknown, options: { timeZone: string; dateOrder?: DateOrder }): ParsedTime {
  if (typeof raw === 'number') return fromNumber(raw, options.timeZone);
  if (typeof raw !== 'string')
    return {
      ok: false,
      reason: raw === undefined || raw === null ? 'time is empty' : `time is a ${typeof raw}, not text`,
    };
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'time is empty' };
  if (/^\d{10}$|^\d{13}$/.test(text) || /^\d{5}(\.\d+)?$/.test(text)) return fromNumber(Number(text), options.timeZone);

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, offset] = iso;
    const wall = {
      year: +y!,
      month: +mo!,
      day: +d!,
      hour: +(h ?? 0),
      minute: +(mi ?? 0),
      second: +(s ?? 0),
      ms: fractionMs(frac),
    };
    return fromWall(wall, offset, options.timeZone, text);
  }
  const numeric = NUMERIC.exec(text);
  if (numeric) {
    const [, a, b, c, h, mi, s, meridiem, offset] = numeric;
    const date = orderDate(+a!, +b!, +c!, a!.length === 4 ? 'ymd' : (options.dateOrder ?? 'dmy'));
    let hour = +(h ?? 0);
    if (meridiem) {
      if (hour < 1 || hour > 12) return { ok: false, reason: `"${text}" is not a valid 12-hour time` };
      hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    return fromWall({ ...date, hour, minute: +(mi ?? 0), second: +(s ?? 0), ms: 0 }, offset, options.timeZone, text);
  }
  return { ok: false, reason: `"${truncate(text)}" is not a recognised date and time` };
}

function fromNumber(value: number, timeZone: string): ParsedTime {
  if (!Number.isFinite(value) || value <= 0) return { ok: false, reason: `${value} is not a time` };
  if (value >= EXCEL_SERIAL_MIN && value < EXCEL_SERIAL_MAX) {
    // Excel stores local wall time as days since 1899-12-30; read it as UTC fields, then place it in the zone.
    const asUtc = new Date(Date.UTC(1899, 11, 30) + Math.round(value * 86_400_000));
    return fromWall(wallOf(asUtc), undefined, timeZone, String(value));
  }
  const ms = value >= 1e12 ? value : value >= 1e9 ? value * 1000 : NaN;
  if (Number.isNaN(ms))
    return { ok: false, reason: `${value} is neither epoch seconds, epoch milliseconds nor an Excel date` };
  // Same range as written dates (validWall); beyond ±8.64e15 ms a Date cannot even hold it and formatting throws.
  if (ms >= LATEST_EPOCH_MS) return { ok: false, reason: `${value} is after the year 2200, not a time` };
  return { ok: true, iso: formatInZone(ms, timeZone), epochMs: ms };
}

function fromWall(wall: WallTime, offset: string | undefined, timeZone: string, text: string): ParsedTime {
  if (!validWall(wall)) return { ok: false, reason: `"${truncate(text)}" is not a valid date and time` };
  const fieldsAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
  const epochMs = offset ? fieldsAsUtc - offsetMinutes(offset) * 60_000 : zonedToEpoch(fieldsAsUtc, timeZone);
  return { ok: true, iso: formatInZone(epochMs, timeZone), epochMs };
}

function orderDate(a: number, b: number, c: number, order: DateOrder): { year: number; month: number; day: number } {
  const year = (y: number) => (y < 100 ? 2000 + y : y);
  if (order === 'ymd') return { year: year(a), month: b, day: c };
  if (order === 'mdy') return { year: year(c), month: a, day: b };
  return { year: year(c), month: b, day: a };
}

function validWall(w: WallTime): boolean {
  if (w.year < 1970 || w.year > 2200 || w.month < 1 || w.month > 12 || w.hour > 23 || w.minute > 59 || w.second > 59)
    return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day >= 1 && w.day <= daysInMonth;
}

function fractionMs(frac: string | undefined): number {
  return frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** The epoch of a wall time in the zone (two passes settle DST edges; Jakarta has none). */
function zonedToEpoch(fieldsAsUtc: number, timeZone: string): number {
  let guess = fieldsAsUtc - zoneOffsetMinutes(fieldsAsUtc, timeZone) * 60_000;
  guess = fieldsAsUtc - zoneOffsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

/** 2026-11-30T10:15:00+07:00 (milliseconds only when present). */
export function formatInZone(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(epochMs, timeZone);
  const wall = wallOf(new Date(epochMs + offset * 60_000));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const ms = wall.ms ? `.${pad(wall.ms, 3)}` : '';
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${ms}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function wallOf(date: Date): WallTime {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    ms: date.getUTCMilliseconds(),
  };
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
