import { CHANNEL_LABELS, type ChannelKey } from './channels';
import type { Ticket } from './complaint';
import {
  DEFAULT_LAPOR_CLOCK,
  forwardedInTime,
  laporClock,
  laporClosureAt,
  type LaporClockBasis,
  type LaporClockSettings,
} from './lapor-clock';
import { laporDatesOf } from './lapor-report';
import type { OfficeCalendar } from './sla';

/**
 * The recap's SP4N-LAPOR! sections (issue #23): LAPOR!-origin complaints apart, with the three working-day
 * milestones met or missed, and the complaints sent on to another agency (no wrong door). Pure; the tickets
 * are those of the period, as at `now` (see recap.ts). No personal data: ticket and Tracking IDs, agencies,
 * times.
 *
 * - 3 HK (LAPOR!'s): forwarded to the regency within 3 working days of the submission; unknown without both dates.
 * - 5 HK (the office's): the follow-up posted in LAPOR! (`aduan lapor posted`) by the deadline; missed when
 *   posted late or still not posted past it; pending before it.
 * - 10 HK (closure): the report counts as closed 10 working days after the follow-up when nobody replies:
 *   met once that time has passed without a reopening, missed when the ticket was reopened meanwhile,
 *   pending before; unknown while there is no follow-up.
 */

export type Milestone = 'met' | 'missed' | 'pending' | 'unknown';

export interface LaporRecapItem {
  ticketNumber: string;
  trackingId: string;
  basis?: LaporClockBasis;
  followUpDueAt?: string;
  postedAt?: string;
  verification: Milestone;
  followUp: Milestone;
  closure: Milestone;
}

export type MilestoneCounts = Record<Milestone, number>;

export interface LaporRecap {
  count: number;
  verification: MilestoneCounts;
  followUp: MilestoneCounts;
  closure: MilestoneCounts;
  /** By ticket number. */
  items: LaporRecapItem[];
}

export interface ForwardedItem {
  ticketNumber: string;
  channel: ChannelKey;
  channelLabel: string;
  /** The agency it went to, and how. */
  to: string;
  via: string;
  at: string;
}

export function computeLaporRecap(
  tickets: readonly Ticket[],
  calendar: OfficeCalendar,
  now: Date,
  settings: LaporClockSettings = DEFAULT_LAPOR_CLOCK,
): LaporRecap {
  const items = tickets
    .filter((t) => t.channel === 'lapor' && !t.historicalImport)
    .map((t) => laporItem(t, calendar, now.getTime(), settings))
    .sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber));
  const counts = (pick: (item: LaporRecapItem) => Milestone): MilestoneCounts => {
    const c: MilestoneCounts = { met: 0, missed: 0, pending: 0, unknown: 0 };
    for (const item of items) c[pick(item)] += 1;
    return c;
  };
  return {
    count: items.length,
    verification: counts((i) => i.verification),
    followUp: counts((i) => i.followUp),
    closure: counts((i) => i.closure),
    items,
  };
}

function laporItem(
  ticket: Ticket,
  calendar: OfficeCalendar,
  now: number,
  settings: LaporClockSettings,
): LaporRecapItem {
  const dates = laporDatesOf(ticket);
  const clock = laporClock(dates, settings, calendar);
  const posted = ticket.history.find((h) => h.event === 'lapor-posted');
  const verification: Milestone =
    dates.submittedAt && dates.forwardedAt
      ? forwardedInTime(dates.submittedAt, dates.forwardedAt, calendar)
        ? 'met'
        : 'missed'
      : 'unknown';
  let followUp: Milestone = 'unknown';
  if (clock) {
    const due = Date.parse(clock.followUpDueAt);
    if (posted) followUp = Date.parse(posted.at) <= due ? 'met' : 'missed';
    else followUp = now > due ? 'missed' : 'pending';
  }
  let closure: Milestone = 'unknown';
  if (posted) {
    const reopened = ticket.history.some((h) => h.event === 'reopened' && h.at > posted.at);
    const closesAt = Date.parse(laporClosureAt(posted.at, settings, calendar));
    closure = reopened ? 'missed' : now >= closesAt ? 'met' : 'pending';
  }
  return {
    ticketNumber: ticket.ticketNumber,
    trackingId: ticket.meta.laporTrackingId ?? ticket.sourceId,
    ...(clock ? { basis: clock.basis, followUpDueAt: clock.followUpDueAt } : {}),
    ...(posted ? { postedAt: posted.at } : {}),
    verification,
    followUp,
    closure,
  };
}

/** Complaints sent on to another agency (`aduan ticket forward`), by ticket number; the reason is not listed. */
export function forwardedComplaints(tickets: readonly Ticket[]): ForwardedItem[] {
  const items: ForwardedItem[] = [];
  for (const ticket of tickets) {
    const entry = ticket.history.find((h) => h.forward);
    if (!entry?.forward) continue;
    items.push({
      ticketNumber: ticket.ticketNumber,
      channel: ticket.channel,
      channelLabel: CHANNEL_LABELS[ticket.channel],
      to: entry.forward.to,
      via: entry.forward.via,
      at: entry.at,
    });
  }
  return items.sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber));
}
