import { CHANNELS } from '../domain/channels';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import { SURVEY_EFFECT, SURVEY_REMINDER_EFFECT, wasSent } from '../domain/survey-invitation';
import { effectKey, type Store } from '../store/store';

/**
 * Whether a message answers an open survey invitation: the ticket is resolved, an invitation or reminder went
 * to this very contact on this channel, its link (`linkValidDays` from the sending) has not expired at the
 * message's time, and the ticket has no response yet. The one test for "Balas 1–4" (the intake stage) and for
 * the chat opener, which must let such a short reply through instead of holding it as chatter.
 */
export async function answersOpenInvitation(
  store: Store,
  linkValidDays: number,
  ticket: Ticket,
  message: Pick<ComplaintInput, 'channel' | 'complainant' | 'receivedAt'>,
): Promise<boolean> {
  if (ticket.status !== 'resolved' || message.channel !== ticket.channel) return false;
  const contact = ticket.complainant[CHANNELS[ticket.channel].replyContact];
  const sender = message.complainant[CHANNELS[message.channel].replyContact];
  if (!contact || !sender || contact.toLowerCase() !== sender.toLowerCase()) return false;
  const sentAt: number[] = [];
  for (const kind of [SURVEY_EFFECT, SURVEY_REMINDER_EFFECT]) {
    const effect = await store.getEffect(effectKey(ticket.id, kind));
    if (effect?.state === 'done' && wasSent(effect.detail)) sentAt.push(Date.parse(effect.doneAt ?? effect.startedAt));
  }
  if (sentAt.length === 0) return false;
  const validUntil = Math.max(...sentAt) + linkValidDays * 24 * 3_600_000;
  if (Date.parse(message.receivedAt) > validUntil) return false;
  return !(await store.getSurveyResponseOfTicket(ticket.id));
}
