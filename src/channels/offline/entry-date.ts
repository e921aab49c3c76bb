import { formatInZone, parseOfficeTime } from '../shared/local-time';

/**
 * Dates typed in by staff from paper (a slip's date of receipt, a walk-in from the counter's log):
 * day first as Indonesians write them (04/12/2026, 4-12-26, 04.12.2026, optionally with a time such
 * as 09.15), or ISO (2026-12-04). A date that cannot be meant is refused, never guessed: an
 * impossible day (31/04), a bare number, a month first (12/31/2026), a day after today or before
 * 2000 (a typo in the year).
 */
export type EntryDate = { ok: true; iso: string; day: string } | { ok: false; reason: string };

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[\sT,]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const EARLIEST_DAY = '2000-01-01';
const HINT = 'tulis tanggal dengan hari lebih dulu, mis. 04/12/2026, atau 2026-12-04';

/** `defaultHour`: the office hour a date without a time stands for (08:00: the box is opened in the morning). */
export function parseEntryDate(raw: string, context: { timeZone: string; now: Date; defaultHour?: number }): EntryDate {
  const text = raw.trim();
  const refused = (why: string) => ({ ok: false as const, reason: `tanggal "${short(text)}" tidak dikenali${why}` });
  if (!DAY_FIRST.test(text) && !ISO_DAY.test(text)) return refused(` (${HINT})`);
  const hasTime = /[T\s,]\d{1,2}[:.]\d{2}/i.test(text);
  const withHour = hasTime ? text : `${text} ${String(context.defaultHour ?? 8).padStart(2, '0')}:00`;
  const parsed = parseOfficeTime(withHour, { timeZone: context.timeZone, dateOrder: 'dmy' });
  if (!parsed.ok) return refused(`: tanggal itu tidak ada (${HINT})`);
  const day = parsed.iso.slice(0, 10);
  const today = formatInZone(context.now.getTime(), context.timeZone).slice(0, 10);
  if (day > today) return refused(`: ${day} belum terjadi (${HINT})`);
  if (day < EARLIEST_DAY) return refused(`: ${day} sebelum tahun 2000`);
  return { ok: true, iso: parsed.iso, day };
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
