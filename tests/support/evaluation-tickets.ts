import type { CategoryKey } from '../../src/domain/categories';
import type { ChannelKey } from '../../src/domain/channels';
import type { Complainant, HistoryEntry, Ticket } from '../../src/domain/complaint';
import type { NewTicket, Store } from '../../src/store/store';

/**
 * Four months of tickets (August–November 2026) for the recap's evaluation: kinds and classifier
 * phrases that rise in November, citizens (known here by a person number) who write again about the same
 * kind — one of them by phone and then by WhatsApp —, namesakes who must not be joined, tickets reopened
 * after a resolution, and tickets that missed their target. Deterministic. Every time is on a weekday
 * morning in WIB, so a test can recount everything without the SLA code.
 */

export interface SeededTicket {
  ticket: NewTicket;
  later: Array<{ entry: HistoryEntry; status?: 'resolved' | 'reopened' }>;
  /** The citizen behind it, if they left a contact; walk-ins by name only have none. */
  person?: number;
}

/** Contacts exactly as the channels store them (the test normalizes them on its own). */
export function contactOf(person: number, channel: ChannelKey): Complainant {
  const name = 'Budi Situmorang'; // every citizen has the same name: names must never join tickets
  if (channel === 'whatsapp') return { name, platformUserId: `109876:6281200000${String(person).padStart(3, '0')}` };
  if (person % 3 === 0) return { name, email: person % 2 ? `Warga${person}@Contoh.ID` : `warga${person}@contoh.id` };
  if (person % 3 === 1) return { name, phone: `+6281200000${String(person).padStart(3, '0')}` };
  return { name, platformUserId: `psid-${person}` };
}

const CHANNEL_OF = (person: number | undefined): ChannelKey =>
  person === undefined ? 'walk-in' : person % 3 === 0 ? 'email' : person % 3 === 1 ? 'call-center' : 'messenger';

/** Kind counts per month: nik-consolidation and perkebbas-account rise in November. */
const PLAN: Record<string, Partial<Record<CategoryKey, number>>> = {
  '2026-08': { 'nik-consolidation': 2, 'domicile-certificate': 3, 'perkebbas-account': 1, 'skpwni-online': 2 },
  '2026-09': { 'nik-consolidation': 3, 'domicile-certificate': 3, 'perkebbas-account': 1, 'skpwni-online': 2 },
  '2026-10': { 'nik-consolidation': 2, 'domicile-certificate': 4, 'perkebbas-account': 1, 'skpwni-online': 2 },
  '2026-11': { 'nik-consolidation': 9, 'domicile-certificate': 4, 'perkebbas-account': 5, 'skpwni-online': 2 },
};

const EVIDENCE: Partial<Record<CategoryKey, (i: number, month: string) => string[]>> = {
  // "NIK ganda" rises in November (7 of 9 against 1 in October); "konsolidasi" stays.
  'nik-consolidation': (i, month) =>
    month === '2026-11'
      ? i < 7
        ? ['NIK ganda', 'konsolidasi']
        : ['konsolidasi']
      : i === 0
        ? ['nik ganda']
        : ['konsolidasi'],
  'domicile-certificate': () => ['surat domisili'],
  'perkebbas-account': () => ['lupa password'],
  'skpwni-online': () => ['pindah keluar'],
};

function weekdays(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days: string[] = [];
  for (let d = 1; d <= new Date(Date.UTC(y, m, 0)).getUTCDate(); d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return days;
}

const wib = (day: string, hh: number, mm = 0) =>
  new Date(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+07:00`).toISOString();

export function planEvaluationTickets(): SeededTicket[] {
  const seeded: SeededTicket[] = [];
  let serial = 0;
  for (const [month, kinds] of Object.entries(PLAN)) {
    const days = weekdays(month);
    for (const [kind, count] of Object.entries(kinds) as Array<[CategoryKey, number]>) {
      for (let i = 0; i < count; i++) {
        serial++;
        // A walk-in by name only every fifth ticket; otherwise one of 5 citizens, so some write again.
        const person = serial % 5 === 0 ? undefined : (serial * 3) % 5;
        // Citizen 1 writes the second time by WhatsApp (the same number as their call-center phone).
        const channel =
          person === 1 && month === '2026-11' && kind === 'nik-consolidation' && i % 2
            ? 'whatsapp'
            : CHANNEL_OF(person);
        const day = days[(i * 4 + serial) % days.length]!;
        const receivedAt = wib(day, 8, serial % 50);
        const dueAt = wib(day, 10);
        const plan: SeededTicket = {
          ticket: {
            channel,
            sourceId: `eval-${serial}`,
            references: [],
            receivedAt,
            complainant: person === undefined ? { name: 'Budi Situmorang' } : contactOf(person, channel),
            text: 'NIK 1211045706890002, HP 081234567890: mohon dibantu',
            attachments: [],
            autoReplyAllowed: true,
            meta: {},
            status: 'routed',
            classification: { category: kind, confidence: 0.9, evidence: EVIDENCE[kind]!(i, month) },
            targetMinutes: 120,
            dueAt,
            team: 'piak',
            history: [{ at: receivedAt, event: 'received' }],
          },
          later: [],
          ...(person === undefined ? {} : { person }),
        };
        const outcome = serial % 4; // 0: resolved late, 1–2: resolved in time, 3: open (overdue by now)
        if (outcome !== 3) {
          plan.later.push({ entry: { at: wib(day, outcome === 0 ? 11 : 9), event: 'resolved' }, status: 'resolved' });
          if (serial % 4 === 1) {
            // Reopened the next day; every other one is resolved again (late: after its due time).
            const next = days[Math.min(days.indexOf(day) + 1, days.length - 1)]!;
            plan.later.push({ entry: { at: wib(next, 9), event: 'reopened' }, status: 'reopened' });
            if (serial % 8 === 1)
              plan.later.push({ entry: { at: wib(next, 9, 30), event: 'resolved' }, status: 'resolved' });
          }
        }
        seeded.push(plan);
      }
    }
  }
  return seeded;
}

/** Writes the tickets through the store's API, as the pipeline would; returns them as stored. */
export async function seedEvaluationTickets(store: Store): Promise<Array<Ticket & { person?: number }>> {
  const stored: Array<Ticket & { person?: number }> = [];
  for (const plan of planEvaluationTickets()) {
    const { ticket } = await store.insertTicket(plan.ticket, 2026);
    for (const step of plan.later) await store.appendHistory(ticket.id, step.entry, step.status);
    const again = (await store.getTicket(ticket.id))!;
    stored.push({ ...again, ...(plan.person === undefined ? {} : { person: plan.person }) });
  }
  return stored;
}
