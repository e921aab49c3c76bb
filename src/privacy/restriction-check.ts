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

type RestrictionStore = Pick<Store, 'findRestrictions' | 'citizenOfTicket' | 'linkedCitizens'>;

/**
 * The restriction covering the ticket's citizen: by any identifier on the ticket, the ticket itself, or its
 * citizen record (`citizen:<id>`, of it or of a record linked to it).
 */
export async function restrictionOf(store: RestrictionStore, ticket: Ticket): Promise<Restriction | undefined> {
  const record = await store.citizenOfTicket(ticket.id);
  const [first] = await store.findRestrictions([...subjectKeysOf(ticket), ...(await citizenKeys(store, record))]);
  return first;
}

/** `citizen:<id>` of the record and of every record linked to it. */
export async function citizenKeys(store: Pick<Store, 'linkedCitizens'>, record: string | undefined): Promise<string[]> {
  return record ? (await store.linkedCitizens(record)).map((id) => `citizen:${id}`) : [];
}
