import type { ComplaintInput, Ticket } from '../domain/complaint';
import type { Store } from '../store/store';

/** First line `#tanya`: the answer asks the citizen something, so the ticket stays open. */
const ASKS_CITIZEN = /^\s*#tanya\b/i;

export const INBOX_ANSWER_NOTE = 'dibalas langsung di kotak masuk Page';

/**
 * A staff answer the citizen already received outside aduan (typed in the Meta Page inbox or the
 * Instagram app, seen as an echo from another app): recorded on the ticket as the answer, counted in
 * first-response and resolution times, and never relayed. It resolves the ticket unless its first line
 * is `#tanya` (the ticket-life rule for a question to the citizen). Safe to run again for the same
 * message: the answer is attached once, the resolution recorded once.
 */
export async function recordAnswerWithoutRelay(store: Store, ticket: Ticket, answer: ComplaintInput): Promise<Ticket> {
  const by = answer.meta.inboxAnswer ?? 'page-inbox';
  const keepOpen = ASKS_CITIZEN.test(answer.text.split('\n', 1)[0] ?? '');
  await store.attachFollowUp(ticket.id, answer.channel, answer.sourceId, {
    at: answer.receivedAt,
    event: 'staff-reply',
    ref: answer.sourceId,
    by,
    note: `[${INBOX_ANSWER_NOTE}, lewat ${answer.channel}; tidak diteruskan lagi] ${answer.text}`.slice(0, 20_000),
  });
  const current = (await store.getTicket(ticket.id)) ?? ticket;
  const resolvedHere = current.history.some((h) => h.event === 'resolved' && h.ref === answer.sourceId);
  if (!keepOpen && !resolvedHere && current.status !== 'resolved')
    await store.appendHistory(
      ticket.id,
      {
        at: answer.receivedAt,
        event: 'resolved',
        note: `${INBOX_ANSWER_NOTE} (${answer.channel})`,
        ref: answer.sourceId,
        by,
      },
      'resolved',
    );
  await store.markIntakeDone(answer.channel, answer.sourceId);
  return (await store.getTicket(ticket.id)) ?? current;
}
