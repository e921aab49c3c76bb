import type { ComplaintInputDraft, Ticket } from '../../domain/complaint';
import type { ChannelKey } from '../../domain/channels';
import type { Store } from '../../store/store';

/**
 * Where a typed-in offline entry goes: `new` (its key is free), `same` (this very entry was typed
 * in before: its ticket is the answer), or `conflict` (another complaint already has the key, e.g.
 * slip 13 of the same box and day with other words). A conflict is refused, never answered with the
 * other citizen's receipt; `forceNew` gives the entry the next free key (`…~2`, `…~3`).
 */
export type Placement = { kind: 'new' | 'same'; complaint: ComplaintInputDraft } | { kind: 'conflict'; ticket: Ticket };

const MAX_ALTERNATIVES = 50;

export async function placeEntry(
  store: Pick<Store, 'findBySource'>,
  complaint: ComplaintInputDraft,
  forceNew: boolean,
): Promise<Placement> {
  for (let n = 1; n <= MAX_ALTERNATIVES; n += 1) {
    const sourceId = n === 1 ? complaint.sourceId : `${complaint.sourceId}~${n}`;
    const existing = await store.findBySource(complaint.channel as ChannelKey, sourceId);
    if (!existing) return { kind: 'new', complaint: { ...complaint, sourceId } };
    if (sameEntry(existing, complaint)) return { kind: 'same', complaint: { ...complaint, sourceId } };
    if (!forceNew) return { kind: 'conflict', ticket: existing };
  }
  throw new Error(`more than ${MAX_ALTERNATIVES} different entries under ${complaint.sourceId}`);
}

function sameEntry(ticket: Ticket, complaint: ComplaintInputDraft): boolean {
  const hash = complaint.meta?.entryHash;
  if (ticket.meta?.entryHash !== undefined) return ticket.meta.entryHash === hash;
  // Tickets entered before entries carried a hash: the words and the citizen decide.
  const who = (c: { name?: string; phone?: string }) => `${c.name ?? ''}\u0000${c.phone ?? ''}`;
  return ticket.text.trim() === complaint.text.trim() && who(ticket.complainant) === who(complaint.complainant ?? {});
}
