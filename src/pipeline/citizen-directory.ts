import type { CategoryKey } from '../domain/categories';
import { complaintIdentity } from '../domain/citizens/identifiers';
import { LISTED_TICKETS, type CitizenSummary, type CitizenTicketLine } from '../domain/citizens/team-mail-lines';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import { NIK_LINK, type CitizenAttachResult, type CitizenRecord, type CitizenTicket } from '../store/citizen-records';
import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The open ticket a repeat complaint joins, and whether only a NIK ties its record to the sender. */
export interface SameProblemMatch {
  ticket: CitizenTicket;
  nikOnly: boolean;
}

/** Tickets a repeat complaint cannot join: answered, or sent on to another agency. */
const CLOSED: ReadonlySet<string> = new Set(['resolved', 'forwarded']);
/** Hints listed per identifier: enough for staff to judge. */
const HINT_TICKETS = 3;

/**
 * Who sent a ticket, for the pipeline: attaches each new ticket to its citizen record and tells the team
 * mail what else that citizen sent. Shared/operator identifiers (config `citizens.sharedIdentifiers`)
 * never link, never merge and give no hint.
 */
export class CitizenDirectory {
  constructor(
    private readonly store: Store,
    private readonly shared: ReadonlySet<string>,
  ) {}

  identity(complaint: ComplaintInput) {
    return complaintIdentity(complaint, this.shared);
  }

  /** Idempotent: a retried intake (or the team mail after a crash) gets the first record back. */
  attach(ticket: Ticket): Promise<CitizenAttachResult> {
    return this.store.attachCitizen({ ticketId: ticket.id, ...this.identity(ticket), at: ticket.receivedAt });
  }

  /**
   * The open ticket a new complaint of `category` repeats: one of the same kind, not resolved, received
   * within `windowDays`, from the sender's own record or a record linked to it (by NIK or staff) — never
   * through a shared identifier (those have no record) nor a mere hint. One the sender speaks for (own record,
   * staff link) before one tied by a NIK alone; the oldest within each, whose clock runs.
   * `nikOnly`: its record is tied to the sender only by the system's NIK link (see `vouched`).
   */
  async openSameProblem(
    complaint: ComplaintInput,
    category: CategoryKey,
    windowDays: number,
  ): Promise<SameProblemMatch | undefined> {
    // `other` is triage, not a problem: two `other` complaints (a queue, a rude officer) are not the same one.
    if (windowDays <= 0 || category === 'other') return undefined;
    const { ids: people, own } = await this.peopleOf(complaint);
    if (people.size === 0) return undefined;
    const since = Date.parse(complaint.receivedAt) - windowDays * DAY_MS;
    const seen = new Map<string, CitizenTicket>();
    for (const id of people) for (const t of await this.store.citizenTickets(id)) seen.set(t.ticketId, t);
    const open = [...seen.values()].filter(
      (t) => t.category === category && !CLOSED.has(t.status) && Date.parse(t.receivedAt) >= since,
    );
    if (open.length === 0) return undefined;
    // A match the sender speaks for (their own record, a staff link) before one tied by a NIK alone; the
    // oldest first within each, whose clock runs.
    const vouched = own ? await this.vouched(own) : new Set<string>();
    const nikOnly = (t: CitizenTicket) => !vouched.has(t.citizenId);
    open.sort((a, b) => Number(nikOnly(a)) - Number(nikOnly(b)) || a.receivedAt.localeCompare(b.receivedAt));
    for (const candidate of open) {
      // A linked record (by NIK or staff) is the same person; the sender's own identifier may be a family's.
      if (candidate.citizenId !== own) return { ticket: candidate, nikOnly: nikOnly(candidate) };
      const ticket = await this.store.getTicket(candidate.ticketId);
      if (ticket && !differentPeople(complaint.complainant, ticket.complainant))
        return { ticket: candidate, nikOnly: false };
    }
    return undefined;
  }

  /** The record whose primary identifier `primary` is (a shared identifier has none: `identity` drops it). */
  async ownRecord(primary: string | undefined): Promise<CitizenRecord | undefined> {
    if (!primary) return undefined;
    return (await this.store.findCitizen(primary)).find((r) =>
      r.identifiers.some((i) => i.role === 'primary' && i.key === primary),
    );
  }

  /**
   * The records that speak for the sender of record `ownId`: itself and those staff linked to it (directly or
   * through each other). Not those the system linked for a matching NIK: a NIK is printed on every KTP and
   * written by whoever writes it, so it may tie a stranger to a citizen. The team still sees all linked records
   * as one person; what a sender is told back about another record's tickets (a status, a ticket number)
   * goes only this far.
   */
  async vouched(ownId: string): Promise<Set<string>> {
    const vouched = new Set([ownId]);
    const queue = [ownId];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      // The latest link or unlink of each pair decides (the audit is oldest first).
      const latest = new Map<string, { action: string; by: string }>();
      for (const event of await this.store.citizenAudit(id)) latest.set(event.a === id ? event.b : event.a, event);
      for (const [other, event] of latest) {
        if (event.action !== 'link' || event.by === NIK_LINK.by || vouched.has(other)) continue;
        vouched.add(other);
        queue.push(other);
      }
    }
    return vouched;
  }

  /**
   * The records a complaint's sender is, before its ticket exists: the record of its own primary identifier,
   * or (for a sender new here) the records carrying its valid NIK — as attaching would link them — unless
   * staff unlinked them.
   */
  private async peopleOf(complaint: ComplaintInput): Promise<{ ids: Set<string>; own?: string }> {
    const identity = this.identity(complaint);
    const own = await this.ownRecord(identity.primary);
    const ids = new Set<string>();
    if (own) for (const id of await this.store.linkedCitizens(own.id)) ids.add(id);
    if (identity.nik) {
      const unlinked = own
        ? new Set(
            (await this.store.citizenAudit(own.id)).filter((e) => e.action === 'unlink').flatMap((e) => [e.a, e.b]),
          )
        : new Set<string>();
      for (const record of await this.store.findCitizen(`nik:${identity.nik}`)) {
        if (unlinked.has(record.id)) continue;
        for (const id of await this.store.linkedCitizens(record.id)) ids.add(id);
      }
    }
    return { ids, ...(own ? { own: own.id } : {}) };
  }

  /** The sender's other tickets and the "maybe the same person" hints, for the team mail of a new ticket. */
  async summary(ticket: Ticket): Promise<CitizenSummary> {
    const { citizenId } = await this.attach(ticket);
    const group = new Set(await this.store.linkedCitizens(citizenId));
    const all = (await this.store.citizenTickets(citizenId)).filter((t) => t.ticketId !== ticket.id);
    const identity = this.identity(ticket);
    const keys = [identity.primary, ...identity.contacts, whatsappPhone(identity.primary)].filter(
      (k): k is string => k !== undefined,
    );
    const hints: CitizenSummary['hints'] = [];
    const hinted = new Set<string>();
    for (const key of [...new Set(keys)]) {
      const tickets: CitizenTicket[] = [];
      for (const record of await this.store.findCitizen(key)) {
        if (group.has(record.id) || hinted.has(record.id)) continue;
        hinted.add(record.id);
        tickets.push(...(await this.store.citizenTickets(record.id)).filter((t) => !group.has(t.citizenId)));
      }
      const unique = [...new Map(tickets.map((t) => [t.ticketId, t])).values()];
      unique.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
      if (unique.length) hints.push({ identifier: key, tickets: unique.slice(0, HINT_TICKETS).map(line) });
    }
    return {
      others: all.slice(0, LISTED_TICKETS).map(line),
      moreOthers: Math.max(0, all.length - LISTED_TICKETS),
      hints,
    };
  }
}

/** A WhatsApp wa_id is a phone number: the same number on the call-center or a form is a hint. */
function whatsappPhone(primary: string | undefined): string | undefined {
  const waId = primary?.startsWith('whatsapp:') ? primary.slice('whatsapp:'.length) : undefined;
  return waId && /^\d+$/.test(waId) ? `phone:+${waId}` : undefined;
}

function line(t: CitizenTicket): CitizenTicketLine {
  const { ticketNumber, channel, category, status, receivedAt } = t;
  return { ticketNumber, channel, category, status, receivedAt };
}

/**
 * A phone or a mailbox is often a family's or an operator's: the same sender identifier with two different
 * NIKs or two different names is two people, whose complaints must not become one ticket. Names only ever keep
 * complaints apart here, never join them.
 */
function differentPeople(a: Ticket['complainant'], b: Ticket['complainant']): boolean {
  if (a.nik && b.nik && a.nik !== b.nik) return true;
  const name = (n: string | undefined) => n?.toLowerCase().replace(/\s+/g, ' ').trim() || undefined;
  const [x, y] = [name(a.name), name(b.name)];
  return x !== undefined && y !== undefined && x !== y;
}
