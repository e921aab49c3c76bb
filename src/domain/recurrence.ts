import type { CategoryKey } from './categories';
import type { Ticket } from './complaint';
import { maskAllPersonalData } from './personal-data';
import type { RecapPeriod } from './recap';
import { officeDate } from './sla';

/**
 * What keeps going wrong (issue #21 §3): kinds and classifier themes rising against earlier months,
 * tickets reopened after a resolution, kinds whose target is missed most. Pure; repeat complainants are
 * in repeat-complainants.ts. Definitions are in docs/recap-report.md ("Masalah berulang").
 */

export interface RisingRule {
  /** A kind or theme must have at least this many tickets in the period to be flagged. */
  minCount: number;
  /** …and at least this many more than its baseline… */
  minIncrease: number;
  /** …and at least this multiple of it (a baseline of 0 passes any ratio). */
  minRatio: number;
}

export const DEFAULT_RISING_RULE: RisingRule = { minCount: 3, minIncrease: 2, minRatio: 1.5 };

/** Rising: enough tickets now, and clearly more than the baseline (by count and by ratio). */
export function isRising(current: number, baseline: number, rule: RisingRule = DEFAULT_RISING_RULE): boolean {
  return current >= rule.minCount && current - baseline >= rule.minIncrease && current >= baseline * rule.minRatio;
}

/** Tickets received on an office date within the period (history imports included: they are complaints). */
export function ticketsIn(tickets: readonly Ticket[], period: RecapPeriod, timeZone: string): Ticket[] {
  return tickets.filter((t) => {
    const day = officeDate(t.receivedAt, timeZone);
    return day >= period.from && day <= period.to;
  });
}

/** The `count` whole calendar months before `month` (YYYY-MM), most recent first. */
export function monthsBefore(month: string, count: number): RecapPeriod[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const periods: RecapPeriod[] = [];
  for (let back = 1; back <= count; back++) {
    const first = new Date(Date.UTC(y, m - 1 - back, 1));
    const last = new Date(Date.UTC(y, m - back, 0));
    periods.push({ from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) });
  }
  return periods;
}

export interface RisingKind {
  kind: CategoryKey;
  current: number;
  /** Counts of the comparison months, most recent first. */
  previous: number[];
  /** Mean of `previous`. */
  baseline: number;
  rising: boolean;
}

/** Every kind with tickets now or before: its count against the mean of the comparison months. */
export function kindTrends(
  current: readonly Ticket[],
  previous: readonly (readonly Ticket[])[],
  kinds: readonly CategoryKey[],
  rule: RisingRule = DEFAULT_RISING_RULE,
): RisingKind[] {
  const count = (tickets: readonly Ticket[], kind: CategoryKey) =>
    tickets.filter((t) => t.classification.category === kind).length;
  return kinds
    .map((kind) => {
      const now = count(current, kind);
      const before = previous.map((month) => count(month, kind));
      const baseline = before.length ? before.reduce((a, b) => a + b, 0) / before.length : 0;
      return { kind, current: now, previous: before, baseline, rising: isRising(now, baseline, rule) };
    })
    .filter((k) => k.current > 0 || k.previous.some((n) => n > 0));
}

export interface ThemeTrend {
  kind: CategoryKey;
  /** The classifier's evidence phrase, lower-cased; any NIK/KK or phone masked. */
  phrase: string;
  current: number;
  /** Tickets of the same kind with this phrase in the month before. */
  previousMonth: number;
  rising: boolean;
}

/** The phrase as it is compared and shown: trimmed, lower-cased, masked, at most 80 characters. */
export function themeOf(evidence: string): string {
  return maskAllPersonalData(evidence.trim().toLowerCase().replace(/\s+/g, ' ')).slice(0, 80);
}

function themeCounts(tickets: readonly Ticket[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ticket of tickets) {
    // A phrase counts once per ticket, however often the classifier named it.
    const themes = new Set(ticket.classification.evidence.map(themeOf).filter((p) => p.length > 0));
    for (const theme of themes) {
      const key = `${ticket.classification.category}\u0000${theme}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The `top` most frequent evidence phrases of each kind this period (those in at least two tickets),
 * compared with the month before (month over month), most frequent first.
 */
export function themeTrends(
  current: readonly Ticket[],
  previousMonth: readonly Ticket[],
  top = 3,
  rule: RisingRule = DEFAULT_RISING_RULE,
): ThemeTrend[] {
  const now = themeCounts(current);
  const before = themeCounts(previousMonth);
  const byKind = new Map<string, ThemeTrend[]>();
  for (const [key, count] of now) {
    // A phrase in a single ticket is not a theme.
    if (count < 2) continue;
    const [kind, phrase] = key.split('\u0000') as [CategoryKey, string];
    const last = before.get(key) ?? 0;
    const list = byKind.get(kind) ?? [];
    list.push({ kind, phrase, current: count, previousMonth: last, rising: isRising(count, last, rule) });
    byKind.set(kind, list);
  }
  return [...byKind.values()]
    .flatMap((list) => list.sort((a, b) => b.current - a.current || a.phrase.localeCompare(b.phrase)).slice(0, top))
    .sort((a, b) => b.current - a.current || a.kind.localeCompare(b.kind) || a.phrase.localeCompare(b.phrase));
}

export interface ReopenedTicket {
  ticketNumber: string;
  kind: CategoryKey;
  /** How many times it was reopened up to `now`. */
  times: number;
  /** Resolved again by `now`. */
  resolvedAgain: boolean;
}

/** The period's tickets reopened after a resolution (history up to `now`), most reopened first. */
export function reopenedTickets(tickets: readonly Ticket[], now: Date): ReopenedTicket[] {
  const until = now.getTime();
  return tickets
    .flatMap((t) => {
      const history = t.history.filter((h) => Date.parse(h.at) <= until);
      const times = history.filter((h) => h.event === 'reopened').length;
      if (times === 0) return [];
      const lastReopen = history.map((h) => h.event).lastIndexOf('reopened');
      const resolvedAgain = history.slice(lastReopen + 1).some((h) => h.event === 'resolved');
      return [{ ticketNumber: t.ticketNumber, kind: t.classification.category, times, resolvedAgain }];
    })
    .sort((a, b) => b.times - a.times || a.ticketNumber.localeCompare(b.ticketNumber));
}

export interface MissedTarget {
  kind: CategoryKey;
  /** Decided (resolved, or open and overdue) but not resolved within target. */
  missed: number;
  decided: number;
  /** missed / decided. */
  share: number;
}

/** Kinds that missed their target, most misses first (then the larger share): the recap's own counts. */
export function missedTargets(
  byKind: readonly { key: CategoryKey; withinTarget: number; targetDecided: number }[],
  top = 3,
): MissedTarget[] {
  return byKind
    .filter((k) => k.targetDecided > k.withinTarget)
    .map((k) => {
      const missed = k.targetDecided - k.withinTarget;
      return { kind: k.key, missed, decided: k.targetDecided, share: missed / k.targetDecided };
    })
    .sort((a, b) => b.missed - a.missed || b.share - a.share || a.kind.localeCompare(b.kind))
    .slice(0, top);
}
