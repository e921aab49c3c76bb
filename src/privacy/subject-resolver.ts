import { contactMatchOf, type SubjectRef, type SubjectResolver } from '../domain/data-subject';
import type { Ticket } from '../domain/complaint';
import type { Store } from '../store/store';

/**
 * Today's resolver: the tickets whose contact fields match the identifier exactly, or the one ticket
 * named. The citizen records (issue 22 §1) add `citizen:<id>` by resolving to their linked identifiers.
 */
export class StoreSubjectResolver implements SubjectResolver {
  constructor(private readonly store: Pick<Store, 'findTicketsByContact' | 'getTicketByNumber'>) {}

  async resolve(ref: SubjectRef): Promise<Ticket[]> {
    if (ref.kind === 'ticket') {
      const ticket = await this.store.getTicketByNumber(ref.value);
      return ticket ? [ticket] : [];
    }
    return this.store.findTicketsByContact(contactMatchOf(ref)!);
  }
}
