import type { SurveyConfig } from '../config/survey-schema';
import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import { receiptSurveyText, type ReceiptSurveyText } from '../domain/survey-link';
import type { Store } from '../store/store';
import { createTicketLink } from './links';

/**
 * The survey link printed on a walk-in's receipt (issue #21): walk-ins have no channel for an invitation, so
 * the receipt carries it. Made at intake, before the answer (valid from the resolution, see
 * src/domain/survey-link.ts), and stored before the receipt is printed: it works later even when the receipt
 * was printed while the service and Redis were down. Suggestion-box slips have no one to hand it to.
 */
export async function receiptSurvey(
  store: Store,
  survey: SurveyConfig,
  entryChannel: ChannelKey,
  ticket: Ticket,
  timeZone: string,
  now: Date,
): Promise<ReceiptSurveyText | undefined> {
  if (!survey.enabled || entryChannel !== 'walk-in') return undefined;
  if (await store.getSurveyResponseOfTicket(ticket.id)) return undefined;
  const { url, link } = await createTicketLink(store, survey, ticket, now);
  return receiptSurveyText(url, link, timeZone);
}
