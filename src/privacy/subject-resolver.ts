import { contactMatchOf, type SubjectRef, type SubjectResolver } from '../domain/data-subject';
import type { Ticket } from '../domain/complaint';
import type { Store } from '../store/store';

type ResolverStore = Pick<
  Store,
  'findTicketsByContact' | 'getTicketByNumber' | 'getCitizen' | 'citizenTickets' | 'getTicket'
>;

/**
 * The tickets a data-subject request is about: those whose contact fields match the identifier exactly, the one
 * ticket named, or — for `citizen:<id>` — every ticket of that citizen record and of the records linked to it
 * (by NIK or staff: one person), whatever identifier each came in on.
 */
export class StoreSubjectResolver implements SubjectResolver {
  constructor(private readonly store: ResolverStore) {}

  async resolve(ref: SubjectRef): Promise<Ticket[]> {
    if (ref.kind === 'ticket') {
      const ticket = await this.store.getTicketByNumber(ref.value);
      return ticket ? [ticket] : [];
    }
    if (ref.kind === 'citizen') return this.citizen(ref.value);
    return this.store.findTicketsByContact(contactMatchOf(ref)!);
  }

  private async citizen(id: string): Promise<Ticket[]> {
    if (!(await this.store.getCitizen(id))) return [];
    const tickets: Ticket[] = [];
    for (const listed of await this.store.citizenTickets(id)) {
      const ticket = await this.store.getTicket(listed.ticketId);
      if (ticket) tickets.push(ticket);
    }
    return tickets;
  }
}
