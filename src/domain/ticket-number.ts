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
export function yearInZone(isoTime: string, timeZone: string): number {
  const year = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(new Date(isoTime));
  return Number(year);
}
