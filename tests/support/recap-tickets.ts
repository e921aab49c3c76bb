import { CATEGORY_KEYS, type CategoryKey } from '../../src/domain/categories';
import { CHANNEL_KEYS, type ChannelKey } from '../../src/domain/channels';
import type { HistoryEntry, Ticket } from '../../src/domain/complaint';
import { computeDueAt, type OfficeCalendar } from '../../src/domain/sla';
import { parseTarget } from '../../src/domain/target';
import type { NewTicket } from '../../src/store/store';

/**
 * A month of varied tickets for recap tests: every channel, most kinds, resolved, open within time and
 * open overdue, with history times on the same working day (so working minutes equal wall-clock
 * minutes and a test can recount them without the SLA code), plus tickets on the edges of the period.
 * Deterministic (seeded). Complainants carry personal data that must never reach a report.
 */

export const PERSONAL = {
  name: 'Rugun <b>Situmorang</b>',
  nik: '1211045706890002',
  phone: '+6281234567890',
  text: '=HYPERLINK("http://x") NIK 1211045706890002 <script>alert(1)</script> KTP saya belum jadi',
};

export interface PlannedTicket {
  ticket: NewTicket;
  /** Entries to append after insertion, with the status each moves the ticket to. */
  later: Array<{ entry: HistoryEntry; status?: 'acknowledged' | 'resolved' }>;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const wib = (date: string, minutes: number) =>
  new Date(Date.parse(`${date}T00:00:00+07:00`) + minutes * 60_000).toISOString();

/** Weekdays of October 2026 (no holiday in the shipped calendar). */
function octoberWeekdays(): string[] {
  const days: string[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = `2026-10-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(date);
  }
  return days;
}

export function planOctoberTickets(
  categories: Record<CategoryKey, { target: string; team: string }>,
  calendar: OfficeCalendar,
  count = 48,
): PlannedTicket[] {
  const random = rng(20261031);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const days = octoberWeekdays();
  const plans: PlannedTicket[] = [];
  const base = (i: number, kind: CategoryKey, channel: ChannelKey, receivedAt: string, dueAt?: string): NewTicket => ({
    channel,
    sourceId: `recap-test-${i}`,
    references: [],
    receivedAt,
    complainant: { name: PERSONAL.name, nik: PERSONAL.nik, phone: PERSONAL.phone },
    text: PERSONAL.text,
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    classification: { category: kind, confidence: 0.8, evidence: [] },
    targetMinutes: 30,
    dueAt: dueAt ?? computeDueAt(receivedAt, parseTarget(categories[kind].target), calendar),
    team: categories[kind].team,
    history: [{ at: receivedAt, event: 'received' }],
  });

  for (let i = 0; i < count; i++) {
    // Every channel and the first kinds surely appear; the rest at random.
    const kind = i < CATEGORY_KEYS.length - 2 ? CATEGORY_KEYS[i]! : pick(CATEGORY_KEYS.slice(0, 10));
    const channel = i < CHANNEL_KEYS.length ? CHANNEL_KEYS[i]! : pick(CHANNEL_KEYS);
    const day = pick(days);
    const startMinute = 8 * 60 + Math.floor(random() * 6 * 60); // 08:00–13:59 WIB
    const receivedAt = wib(day, startMinute);
    const outcome = i % 5 === 3 ? 'pending' : i % 5 === 4 ? 'overdue' : 'resolved';
    const plan: PlannedTicket = {
      // Open and within time: the due time is not yet reached whenever the test runs.
      ticket: base(i, kind, channel, receivedAt, outcome === 'pending' ? wib('2099-01-05', 9 * 60) : undefined),
      later: [],
    };
    const ack = startMinute + 1 + Math.floor(random() * 20);
    const acknowledged = i % 7 !== 2; // some are answered only by the resolution
    if (acknowledged && (outcome !== 'resolved' || i % 2 === 0))
      plan.later.push({ entry: { at: wib(day, ack), event: 'acknowledged' }, status: 'acknowledged' });
    if (outcome === 'resolved') {
      const resolved = ack + Math.floor(random() * 100);
      plan.later.push({
        entry: { at: wib(day, resolved), event: 'resolved', note: 'Sudah selesai' },
        status: 'resolved',
      });
    }
    plans.push(plan);
  }

  // Edges of the period in office time: just outside and just inside October (WIB).
  const edge = (i: number, at: string, kind: CategoryKey = 'other') =>
    plans.push({ ticket: base(i, kind, 'suggestion-box', at), later: [] });
  edge(1000, new Date('2026-09-30T23:59:00+07:00').toISOString());
  edge(1001, new Date('2026-10-01T00:05:00+07:00').toISOString());
  edge(1002, new Date('2026-10-31T23:55:00+07:00').toISOString());
  edge(1003, new Date('2026-11-01T00:00:00+07:00').toISOString());
  return plans;
}

/** The planned tickets as the store would hold them once every later entry is applied (no store). */
export function plannedAsTickets(plans: PlannedTicket[]): Ticket[] {
  return plans.map((p, i) => ({
    ...p.ticket,
    id: `planned-${i}`,
    ticketNumber: `ADU-2026-${String(i + 1).padStart(6, '0')}`,
    createdAt: p.ticket.receivedAt,
    history: [...p.ticket.history, ...p.later.map((l) => l.entry)],
    status: p.later.some((l) => l.status === 'resolved')
      ? 'resolved'
      : p.later.length
        ? 'acknowledged'
        : p.ticket.status,
  }));
}
