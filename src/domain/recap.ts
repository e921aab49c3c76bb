import { CATEGORY_KEYS, type CategoryKey } from './categories';
import { CHANNEL_KEYS, CHANNEL_LABELS, type ChannelKey } from './channels';
import type { Ticket } from './complaint';
import { officeDate, workingMinutesBetween, zoneOffsetMinutes, type OfficeCalendar } from './sla';
import { describeTarget, parseTarget } from './target';
import { endsResolved, wasReopened } from './ticket-life';
import { ticketTimes } from './ticket-times';
import type { LaporClockSettings } from './lapor-clock';
import { computeLaporRecap, forwardedComplaints, type ForwardedItem, type LaporRecap } from './recap-lapor';

/**
 * The recap of a period for the head of office: how many complaints came in, of which kind, by which
 * channel, how fast they were answered and resolved, and which are overdue. Pure: tickets, categories,
 * calendar and `now` are passed in.
 *
 * Definitions (docs/recap-report.md):
 * - A ticket belongs to the period when its receivedAt falls on an office date (office time zone) from
 *   `period.from` to `period.to`, both inclusive.
 * - Everything is as at `now`: history entries after `now` are ignored, so a recap rebuilt later with
 *   the same `now` gives the same figures.
 * - Times are working minutes on the office calendar (like the targets), from receivedAt to the first
 *   response (see ticket-times.ts) and to the resolution.
 * - Percentiles are nearest-rank: of the n values sorted ascending, the p-th percentile is the value at
 *   rank ⌈p/100 · n⌉ (1-based). The median is the 50th percentile (for an even n, the lower of the two
 *   middle values); both are always a value that occurred. No values: no percentile.
 * - Within target: resolved no later than the due time. The share within target is counted over the
 *   tickets whose outcome is known at `now`: resolved tickets plus open tickets already past their due
 *   time (open tickets still within their time are left out, they may yet make it).
 * - Overdue: not resolved and past the due time at `now`; lateness is in working minutes.
 *
 * No personal data: the recap holds ticket numbers, kinds, channels, teams and times, never a name,
 * contact, NIK/KK or complaint text.
 */

export interface RecapPeriod {
  /** First office date, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last office date, YYYY-MM-DD, inclusive. */
  to: string;
}

export interface RecapInput {
  tickets: readonly Ticket[];
  categories: Record<CategoryKey, { label: string; target: string; team: string }>;
  /** Team display names; a team missing here is shown by its key. */
  teams?: Record<string, { name: string }>;
  calendar: OfficeCalendar;
  period: RecapPeriod;
  now: Date;
  /** SP4N-LAPOR!'s clock (channels.lapor); default 5 and 10 working days. */
  lapor?: LaporClockSettings | undefined;
}

export interface DurationStats {
  /** How many tickets have this time (e.g. resolved ones, for the resolution time). */
  measured: number;
  /** Working minutes, nearest-rank; absent when nothing was measured. */
  median?: number;
  p90?: number;
}

export interface GroupStats {
  key: string;
  label: string;
  count: number;
  resolved: number;
  open: number;
  /** Open and past the due time at `now`. */
  overdue: number;
  /** Reopened after a resolution (a citizen wrote again within the reopen window). */
  reopened: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
  /** Resolved no later than the due time. */
  withinTarget: number;
  /** Tickets whose outcome is known: resolved, or open and overdue. */
  targetDecided: number;
  /** withinTarget / targetDecided, 0..1; absent when targetDecided is 0. */
  withinTargetShare?: number;
  /** Imported history (a first read): counted in `count`, never open, overdue or judged against a target. */
  historical: number;
}

export interface KindStats extends GroupStats {
  key: CategoryKey;
  /** As configured: 5m, 2h, 3d. */
  target: string;
  /** "5 menit", "2 jam", "3 hari kerja". */
  targetText: string;
  /** The team the kind is routed to by default. */
  team: string;
}

export interface ChannelStats extends GroupStats {
  key: ChannelKey;
}

export interface OverdueItem {
  ticketNumber: string;
  kind: CategoryKey;
  kindLabel: string;
  channel: ChannelKey;
  channelLabel: string;
  /** The team holding the ticket now (it may have been rerouted). */
  team: string;
  teamName: string;
  dueAt: string;
  /** Working minutes from the due time to `now`. */
  lateMinutes: number;
}

export interface Recap {
  period: RecapPeriod;
  /** `now`, ISO. */
  generatedAt: string;
  timeZone: string;
  total: GroupStats;
  /** Every kind, in the fixed order of CATEGORY_KEYS (kinds without tickets included, with zeros). */
  byKind: KindStats[];
  /** Every channel, in the fixed order of CHANNEL_KEYS. */
  byChannel: ChannelStats[];
  /** counts[kindIndex][channelIndex], in the order of byKind and byChannel. */
  matrix: {
    kinds: CategoryKey[];
    channels: ChannelKey[];
    counts: number[][];
    kindTotals: number[];
    channelTotals: number[];
    total: number;
  };
  /** Most late first. */
  overdue: OverdueItem[];
  /** SP4N-LAPOR! reports with their 3/5/10-working-day milestones (recap-lapor.ts). */
  lapor?: LaporRecap;
  /** Complaints sent on to another agency (no wrong door). */
  forwarded?: ForwardedItem[];
}

/** Nearest-rank percentile of `values` (any order): the value at rank ⌈p/100 · n⌉ of the sorted values. */
export function nearestRank(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is not in (0, 100]`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[rank - 1];
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isOfficeDate(value: string): boolean {
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The instant (ISO, UTC) at which office date `date` begins in `timeZone`. */
export function officeDayStart(date: string, timeZone: string): string {
  if (!isOfficeDate(date)) throw new Error(`"${date}" is not a date like 2026-11-30`);
  const midnightAsUtc = Date.parse(`${date}T00:00:00Z`);
  let instant = midnightAsUtc - zoneOffsetMinutes(midnightAsUtc, timeZone) * 60_000;
  // Once more with the offset at the instant found, for zones whose offset changes around midnight.
  instant = midnightAsUtc - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

/** The office date after `date`. */
export function nextOfficeDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The previous calendar month of `now` in the office time zone (for the monthly recap). */
export function previousMonth(now: Date, timeZone: string): RecapPeriod {
  const today = officeDate(now.toISOString(), timeZone);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

export function validatePeriod(period: RecapPeriod): void {
  for (const [name, value] of Object.entries(period)) {
    if (!isOfficeDate(value)) throw new Error(`period.${name} "${value}" is not a date like 2026-11-30`);
  }
  if (period.from > period.to) throw new Error(`period starts (${period.from}) after it ends (${period.to})`);
}

/** The ticket as it stood at `now`: later history entries are not yet known. */
function asAt(ticket: Ticket, now: number): Ticket {
  const history = ticket.history.filter((h) => Date.parse(h.at) <= now);
  // Resolved at `now` when the last change of its life up to then was a resolution (it may reopen later).
  const resolved = endsResolved(history);
  return {
    ...ticket,
    history,
    status: resolved ? 'resolved' : ticket.status === 'resolved' ? 'routed' : ticket.status,
  };
}

interface Row {
  ticket: Ticket;
  kind: CategoryKey;
  channel: ChannelKey;
  firstResponseMinutes?: number;
  resolutionMinutes?: number;
  resolved: boolean;
  withinTarget: boolean;
  overdue: boolean;
  reopened: boolean;
  historical: boolean;
}

function stats(key: string, label: string, rows: readonly Row[]): GroupStats {
  const first = rows.flatMap((r) => (r.firstResponseMinutes === undefined ? [] : [r.firstResponseMinutes]));
  const resolution = rows.flatMap((r) => (r.resolutionMinutes === undefined ? [] : [r.resolutionMinutes]));
  const resolved = rows.filter((r) => r.resolved).length;
  const overdue = rows.filter((r) => r.overdue).length;
  const withinTarget = rows.filter((r) => r.withinTarget).length;
  const historical = rows.filter((r) => r.historical).length;
  const targetDecided = resolved + overdue;
  return {
    key,
    label,
    count: rows.length,
    resolved,
    open: rows.length - resolved - historical,
    overdue,
    reopened: rows.filter((r) => r.reopened).length,
    firstResponse: duration(first),
    resolution: duration(resolution),
    withinTarget,
    targetDecided,
    ...(targetDecided > 0 ? { withinTargetShare: withinTarget / targetDecided } : {}),
    historical,
  };
}

function duration(values: number[]): DurationStats {
  const median = nearestRank(values, 50);
  const p90 = nearestRank(values, 90);
  return {
    measured: values.length,
    ...(median !== undefined ? { median } : {}),
    ...(p90 !== undefined ? { p90 } : {}),
  };
}

export function computeRecap(input: RecapInput): Recap {
  validatePeriod(input.period);
  const { calendar, period } = input;
  const now = input.now.getTime();
  const rows: Row[] = [];
  for (const stored of input.tickets) {
    if (Date.parse(stored.receivedAt) > now) continue;
    const day = officeDate(stored.receivedAt, calendar.timeZone);
    if (day < period.from || day > period.to) continue;
    const ticket = asAt(stored, now);
    const times = ticketTimes(ticket, calendar, input.now);
    const historical = ticket.historicalImport !== undefined;
    const resolved = !historical && times.resolvedAt !== undefined;
    rows.push({
      ticket,
      kind: ticket.classification.category,
      channel: ticket.channel,
      ...(!historical && times.firstResponseMinutes !== undefined
        ? { firstResponseMinutes: times.firstResponseMinutes }
        : {}),
      ...(times.resolutionMinutes !== undefined ? { resolutionMinutes: times.resolutionMinutes } : {}),
      resolved,
      withinTarget: !historical && times.resolvedWithinTarget === true,
      overdue: !historical && times.overdue,
      historical,
      reopened: wasReopened(ticket.history),
    });
  }

  const kinds = [...CATEGORY_KEYS];
  const channels = [...CHANNEL_KEYS];
  const byKind: KindStats[] = kinds.map((kind) => {
    const category = input.categories[kind];
    return {
      ...stats(
        kind,
        category.label,
        rows.filter((r) => r.kind === kind),
      ),
      key: kind,
      target: category.target,
      targetText: describeTarget(parseTarget(category.target)),
      team: category.team,
    };
  });
  const byChannel: ChannelStats[] = channels.map((channel) => ({
    ...stats(
      channel,
      CHANNEL_LABELS[channel],
      rows.filter((r) => r.channel === channel),
    ),
    key: channel,
  }));
  const counts = kinds.map((kind) =>
    channels.map((channel) => rows.filter((r) => r.kind === kind && r.channel === channel).length),
  );

  const teamName = (team: string) => input.teams?.[team]?.name ?? team;
  const overdue: OverdueItem[] = rows
    .filter((r) => r.overdue)
    .map((r) => ({
      ticketNumber: r.ticket.ticketNumber,
      kind: r.kind,
      kindLabel: input.categories[r.kind].label,
      channel: r.channel,
      channelLabel: CHANNEL_LABELS[r.channel],
      team: r.ticket.team,
      teamName: teamName(r.ticket.team),
      dueAt: r.ticket.dueAt,
      lateMinutes: workingMinutesBetween(r.ticket.dueAt, input.now.toISOString(), calendar),
    }))
    .sort(
      (a, b) =>
        b.lateMinutes - a.lateMinutes ||
        Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
        a.ticketNumber.localeCompare(b.ticketNumber),
    );

  return {
    period: { ...period },
    generatedAt: input.now.toISOString(),
    timeZone: calendar.timeZone,
    total: stats('total', 'Jumlah', rows),
    byKind,
    byChannel,
    matrix: {
      kinds,
      channels,
      counts,
      kindTotals: counts.map((row) => row.reduce((a, b) => a + b, 0)),
      channelTotals: channels.map((_, c) => counts.reduce((sum, row) => sum + (row[c] ?? 0), 0)),
      total: rows.length,
    },
    overdue,
    lapor: computeLaporRecap(
      rows.map((r) => r.ticket),
      calendar,
      input.now,
      input.lapor,
    ),
    forwarded: forwardedComplaints(rows.map((r) => r.ticket)),
  };
}
