import type { CategoryKey } from './categories';
import type { Ticket } from './complaint';

/**
 * How long a resolved ticket keeps its personal data (UU No. 27/2022 PDP: no longer than the purpose
 * needs). The numbers are the admin's, aligned with the office's archive retention schedule (JRA);
 * aduan only counts: calendar years, months, weeks or days after the resolution.
 */
export const RETENTION_PATTERN = /^([1-9]\d{0,2})(y|mo|w|d)$/;

export interface RetentionRules {
  /** "2y", "18mo", "26w", "730d". */
  default: string;
  byKind: Partial<Record<CategoryKey, string>>;
}

/** The instant `span` after `from`, in calendar units (a year after 29 Feb is 28 Feb or 1 Mar: JS Date rules). */
export function addRetention(from: Date, span: string, sign: 1 | -1 = 1): Date {
  const match = RETENTION_PATTERN.exec(span);
  if (!match) throw new Error(`retention "${span}" is not like 2y, 18mo, 26w or 730d`);
  const n = sign * Number(match[1]);
  const at = new Date(from.getTime());
  switch (match[2]) {
    case 'y':
      at.setUTCFullYear(at.getUTCFullYear() + n);
      break;
    case 'mo':
      at.setUTCMonth(at.getUTCMonth() + n);
      break;
    case 'w':
      at.setUTCDate(at.getUTCDate() + 7 * n);
      break;
    default:
      at.setUTCDate(at.getUTCDate() + n);
  }
  return at;
}

/** The span of a kind: its own, else the default. */
export function retentionOf(kind: CategoryKey, rules: RetentionRules): string {
  return rules.byKind[kind] ?? rules.default;
}

/**
 * When the ticket's purpose was met: its last resolution (a reopened ticket counts from the latest).
 * Historical imports without a resolution entry count from their receipt. Open tickets: never.
 */
export function resolvedAt(
  ticket: Pick<Ticket, 'status' | 'history' | 'receivedAt' | 'historicalImport'>,
): string | undefined {
  if (ticket.status !== 'resolved') return undefined;
  let last: string | undefined;
  for (const entry of ticket.history) if (entry.event === 'resolved' && (!last || entry.at > last)) last = entry.at;
  return last ?? ticket.receivedAt;
}

/** When the ticket's personal data is due for anonymization, or undefined while it is open. */
export function retentionEnds(ticket: Ticket, rules: RetentionRules): Date | undefined {
  const resolved = resolvedAt(ticket);
  if (!resolved) return undefined;
  return addRetention(new Date(resolved), retentionOf(ticket.classification.category, rules));
}

/**
 * Only tickets received before this can be due at `now` (a resolution comes after the receipt): the
 * store's cheap pre-filter, with the shortest span of any kind.
 */
export function receivedBeforeCutoff(now: Date, rules: RetentionRules): Date {
  let earliest = addRetention(now, rules.default, -1);
  for (const span of Object.values(rules.byKind)) {
    const cut = span ? addRetention(now, span, -1) : earliest;
    if (cut > earliest) earliest = cut;
  }
  return earliest;
}
