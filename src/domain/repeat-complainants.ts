import type { CategoryKey } from './categories';
import type { Complainant, Ticket } from './complaint';
import { normalizePhone, phoneFromWaId } from './phone';
import type { RecapPeriod } from './recap';
import { officeDate } from './sla';

/**
 * Citizens who complained again about the same kind within a window (default 30 days), recognised by
 * exact contact identifiers only — e-mail (case-folded), phone (E.164), Messenger PSID, Instagram IGSID,
 * WhatsApp wa_id, portal reply address — never by a name, which many citizens share. The result holds
 * counts and ticket numbers, never an identifier. Pure.
 */

export const DEFAULT_REPEAT_WINDOW_DAYS = 30;

/** The exact identifiers of a ticket's complainant, each prefixed by what it is. */
export function contactKeys(ticket: Pick<Ticket, 'channel' | 'complainant'>): string[] {
  const c: Complainant = ticket.complainant;
  const keys = new Set<string>();
  if (c.email) keys.add(`email:${c.email.trim().toLowerCase()}`);
  const phone = normalizePhone(c.phone);
  if (phone) keys.add(`phone:${phone}`);
  if (c.platformUserId) {
    const id = c.platformUserId.trim();
    if (ticket.channel === 'whatsapp') {
      // `<business phone id>:<wa_id>`: the citizen is the wa_id, which is also their phone number.
      const waId = id.includes(':') ? id.slice(id.lastIndexOf(':') + 1) : id;
      const waPhone = phoneFromWaId(waId);
      keys.add(waPhone ? `phone:${waPhone}` : `wa:${waId}`);
    } else if (id) {
      // A PSID is only unique per Page and channel: the channel is part of the key.
      keys.add(`${ticket.channel}:${id}`);
    }
  }
  return [...keys];
}

export interface RepeatComplaint {
  /** The later ticket (received in the period). */
  ticketNumber: string;
  /** The earlier ticket of the same kind from the same contact. */
  earlierTicketNumber: string;
  kind: CategoryKey;
  /** Whole days between the two receipts. */
  days: number;
}

export interface RepeatSummary {
  /** Distinct citizens (joined by any shared identifier) with a repeat in the period. */
  citizens: number;
  /** Per kind: distinct citizens and the repeat tickets. Kinds without repeats are left out. */
  byKind: Array<{ kind: CategoryKey; citizens: number; repeats: RepeatComplaint[] }>;
  /** Every repeat, in receipt order. */
  repeats: RepeatComplaint[];
}

class Components {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let root = key;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    let node = key;
    while (node !== root) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/**
 * `tickets` must include those received up to `windowDays` before the period, so a repeat of an
 * earlier month's complaint is found. A ticket of the period is a repeat when an earlier ticket of the
 * same kind shares one of its identifiers and was received at most `windowDays` before it.
 */
export function repeatComplainants(
  tickets: readonly Ticket[],
  period: RecapPeriod,
  timeZone: string,
  windowDays = DEFAULT_REPEAT_WINDOW_DAYS,
): RepeatSummary {
  const windowMs = windowDays * 86_400_000;
  const sorted = [...tickets].sort(
    (a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || a.ticketNumber.localeCompare(b.ticketNumber),
  );
  // Latest ticket per (kind, identifier) so far: linear in the number of tickets.
  const latest = new Map<string, Ticket>();
  const repeats: RepeatComplaint[] = [];
  const people = new Components();
  const keysOf = new Map<string, string[]>();
  for (const ticket of sorted) {
    const keys = contactKeys(ticket);
    const at = Date.parse(ticket.receivedAt);
    const day = officeDate(ticket.receivedAt, timeZone);
    const inPeriod = day >= period.from && day <= period.to;
    let earlier: Ticket | undefined;
    for (const key of keys) {
      const seen = latest.get(`${ticket.classification.category}|${key}`);
      if (seen && at - Date.parse(seen.receivedAt) <= windowMs) {
        if (!earlier || Date.parse(seen.receivedAt) > Date.parse(earlier.receivedAt)) earlier = seen;
      }
    }
    if (inPeriod && earlier) {
      repeats.push({
        ticketNumber: ticket.ticketNumber,
        earlierTicketNumber: earlier.ticketNumber,
        kind: ticket.classification.category,
        days: Math.floor((at - Date.parse(earlier.receivedAt)) / 86_400_000),
      });
      keysOf.set(ticket.ticketNumber, keys);
    }
    for (const key of keys) latest.set(`${ticket.classification.category}|${key}`, ticket);
    // One person: all identifiers a ticket carries together.
    for (const key of keys.slice(1)) people.union(keys[0]!, key);
  }
  const citizensOf = (list: RepeatComplaint[]) =>
    new Set(list.map((r) => people.find(keysOf.get(r.ticketNumber)![0]!))).size;
  const kinds = [...new Set(repeats.map((r) => r.kind))];
  return {
    citizens: citizensOf(repeats),
    byKind: kinds
      .map((kind) => {
        const list = repeats.filter((r) => r.kind === kind);
        return { kind, citizens: citizensOf(list), repeats: list };
      })
      .sort((a, b) => b.citizens - a.citizens || b.repeats.length - a.repeats.length || a.kind.localeCompare(b.kind)),
    repeats,
  };
}
