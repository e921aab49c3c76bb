import type { RecapPeriod } from '../domain/recap';
import { zoneOffsetMinutes } from '../domain/sla';

/** Indonesian formatting shared by the HTML page and the cover mail. */

const dateFormat = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('id-ID');
const percentFormat = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });

/** 2026-11-01 → "1 November 2026". */
export function formatOfficeDate(date: string): string {
  return dateFormat.format(new Date(`${date}T12:00:00Z`));
}

/** A whole calendar month, if the period is exactly one (for the subject line). */
export function wholeMonth(period: RecapPeriod): string | undefined {
  const last = new Date(Date.parse(`${period.from}T12:00:00Z`));
  last.setUTCMonth(last.getUTCMonth() + 1, 0);
  return period.from.endsWith('-01') && last.toISOString().slice(0, 10) === period.to
    ? monthFormat.format(new Date(`${period.from}T12:00:00Z`))
    : undefined;
}

/** "1 November 2026 s.d. 30 November 2026" (one date if the period is one day). */
export function formatPeriod(period: RecapPeriod): string {
  return period.from === period.to
    ? formatOfficeDate(period.from)
    : `${formatOfficeDate(period.from)} s.d. ${formatOfficeDate(period.to)}`;
}

/** Short name of the period: "November 2026", else the dates. */
export function periodName(period: RecapPeriod): string {
  return wholeMonth(period) ?? formatPeriod(period);
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** 0.875 → "87,5%"; nothing to measure → "–". */
export function formatShare(share: number | undefined): string {
  return share === undefined ? '–' : percentFormat.format(share);
}

/** Working minutes: "45 mnt", "2 jam", "3 jam 5 mnt"; nothing measured → "–". */
export function formatMinutes(minutes: number | undefined): string {
  if (minutes === undefined) return '–';
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} mnt`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest ? `${formatNumber(hours)} jam ${rest} mnt` : `${formatNumber(hours)} jam`;
}

/** An instant as office local time for spreadsheets: "2026-11-30 09:05" (seconds dropped). */
export function officeLocalTime(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  const local = new Date(instant + zoneOffsetMinutes(instant, timeZone) * 60_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The usual Indonesian abbreviation of the office time zone. */
export function zoneAbbreviation(timeZone: string): string {
  return (
    { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' }[timeZone] ??
    timeZone
  );
}

export function escapeHtml(value: string | number): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
