import { subjectKeysOf } from '../domain/data-subject';
import type { Ticket } from '../domain/complaint';
import type { Store } from '../store/store';
import type { Restriction } from '../store/privacy-records';
import type { OutgoingMessage } from '../outbound/message';

/** Messages that speak to the citizen; a restriction of processing stops them (team mail still flows). */
export const CITIZEN_FACING_PURPOSES: ReadonlySet<OutgoingMessage['purpose']> = new Set([
  'acknowledgement',
  'solution',
  'survey-invitation',
  'status-answer',
]);

/** Why nothing is sent to a restricted citizen, as noted on the ticket and told to the team. */
export const RESTRICTED_REASON = 'pemrosesan dibatasi atas permintaan pelapor (UU PDP); pesan otomatis tidak dikirim';

/** The restriction covering the ticket's citizen (by any identifier on the ticket, or the ticket itself). */
export async function restrictionOf(
  store: Pick<Store, 'findRestrictions'>,
  ticket: Ticket,
): Promise<Restriction | undefined> {
  const [first] = await store.findRestrictions(subjectKeysOf(ticket));
  return first;
}
