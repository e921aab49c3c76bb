import type { HistoryEntry, TicketStatus } from './complaint';
import { formatJakartaTime } from './messages';
import { lastOf } from './ticket-life';

/**
 * Whether a ticket's survey link can be answered now (issue #21). Pure. One rule for every link: it is valid
 * `linkValidDays` from the later of its making and the ticket's resolution. A link made after the resolution
 * (an invitation) stores its end; a link made before it (a walk-in's receipt) stores its length instead and
 * waits: until the ticket is resolved the page says the complaint is still being handled (a reopened ticket
 * waits again), then the days count from the latest resolution.
 */

export interface LinkTerms {
  createdAt: string;
  /** The end of a link made after the resolution; for one made before, an outer bound only. */
  expiresAt: string;
  /** Made before the resolution: valid this many days from it. */
  validDaysAfterResolution?: number;
  usedAt?: string;
}

export type LinkState =
  | { kind: 'open'; until: string }
  /** Made before the resolution and the ticket is not resolved (yet, or again). */
  | { kind: 'pending' }
  | { kind: 'expired' }
  | { kind: 'answered' };

/** A receipt link is dead this long after it was made even if the ticket never gets resolved. */
export const RECEIPT_LINK_MAX_DAYS = 365;

const DAY_MS = 24 * 3_600_000;

/** When the ticket was last resolved, while it stands resolved (any resolution: the office closed it). */
export function currentResolution(ticket: { status: TicketStatus; history: readonly HistoryEntry[] }) {
  if (ticket.status !== 'resolved') return undefined;
  return lastOf(ticket.history, (h) => h.event === 'resolved')?.at;
}

export function surveyLinkState(
  link: LinkTerms,
  ticket: { status: TicketStatus; history: readonly HistoryEntry[] } | undefined,
  answered: boolean,
  now: Date,
): LinkState {
  if (link.usedAt || answered) return { kind: 'answered' };
  const at = now.getTime();
  if (Date.parse(link.expiresAt) <= at) return { kind: 'expired' };
  if (link.validDaysAfterResolution === undefined) return { kind: 'open', until: link.expiresAt };
  const resolvedAt = ticket ? currentResolution(ticket) : undefined;
  if (!resolvedAt) return { kind: 'pending' };
  const from = Math.max(Date.parse(resolvedAt), Date.parse(link.createdAt));
  const until = Math.min(from + link.validDaysAfterResolution * DAY_MS, Date.parse(link.expiresAt));
  return until <= at ? { kind: 'expired' } : { kind: 'open', until: new Date(until).toISOString() };
}

/** The terms of a new link: counted from now when the ticket is resolved already, else from its resolution. */
export function newLinkTerms(
  ticket: { status: TicketStatus },
  validDays: number,
  now: Date,
): Omit<LinkTerms, 'usedAt'> {
  const createdAt = now.toISOString();
  if (ticket.status === 'resolved')
    return { createdAt, expiresAt: new Date(now.getTime() + validDays * DAY_MS).toISOString() };
  return {
    createdAt,
    expiresAt: new Date(now.getTime() + (RECEIPT_LINK_MAX_DAYS + validDays) * DAY_MS).toISOString(),
    validDaysAfterResolution: validDays,
  };
}

/** How long a link can be answered, as the citizen reads it (receipt, `aduan survey link`). */
export function linkValidityText(
  link: Pick<LinkTerms, 'expiresAt' | 'validDaysAfterResolution'>,
  timeZone: string,
): string {
  return link.validDaysAfterResolution === undefined
    ? `Tautan berlaku sampai ${formatJakartaTime(link.expiresAt, timeZone)} WIB dan hanya dapat diisi satu kali.`
    : `Survei dapat diisi satu kali setelah pengaduan selesai ditangani, selama ${link.validDaysAfterResolution} ` +
        'hari sejak itu; sebelumnya halaman itu menyatakan pengaduan masih diproses.';
}

export interface ReceiptSurveyText {
  title: string;
  intro: string;
  url: string;
  validity: string;
}

/** The survey part of a walk-in's printed receipt: never anything of the complaint, only the link. */
export function receiptSurveyText(
  url: string,
  link: Pick<LinkTerms, 'expiresAt' | 'validDaysAfterResolution'>,
  timeZone: string,
): ReceiptSurveyText {
  return {
    title: 'SURVEI KEPUASAN',
    intro: 'Mohon nilai pelayanan kami setelah pengaduan Anda selesai. Pindai kode QR atau ketik alamat ini:',
    url,
    validity: linkValidityText(link, timeZone),
  };
}
