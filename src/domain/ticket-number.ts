/** Ticket numbers people can read over the phone: ADU-2026-000123, a sequence per year. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `ADU-${year}-${String(sequence).padStart(6, '0')}`;
}

const TICKET_NUMBER = /\bADU-(\d{4})-(\d{6,})\b/i;

export function findTicketNumber(text: string | undefined): string | undefined {
  const match = text ? TICKET_NUMBER.exec(text) : null;
  return match ? `ADU-${match[1]}-${match[2]}` : undefined;
}

/** The calendar year in the office's time zone, which decides the ticket sequence. */
const yearFormatters = new Map<string, Intl.DateTimeFormat>();

export function yearInZone(isoTime: string, timeZone: string): number {
  let formatter = yearFormatters.get(timeZone);
  if (!formatter)
    yearFormatters.set(timeZone, (formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' })));
  return Number(formatter.format(new Date(isoTime)));
}
