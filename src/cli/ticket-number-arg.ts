import { formatTicketNumber, yearInZone } from '../domain/ticket-number';

/**
 * A ticket number as staff type it: `ADU-2026-000123` in any letter case, without the zeros
 * (`adu-2026-123`), or just the sequence (`123`, this year's ticket in the office's time zone).
 * Anything else is returned as typed, so the "not found" message shows what was asked for.
 */
export function ticketNumberArg(input: string, timeZone: string, now = new Date()): string {
  const typed = input.trim();
  if (/^\d{1,9}$/.test(typed)) return formatTicketNumber(yearInZone(now.toISOString(), timeZone), Number(typed));
  const full = /^ADU-(\d{4})-(\d{1,9})$/i.exec(typed);
  if (full) return formatTicketNumber(Number(full[1]), Number(full[2]));
  return typed;
}
