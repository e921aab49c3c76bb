import type { ComplaintInput, Ticket } from '../domain/complaint';
import { readAskMark } from '../domain/ticket-life';
import type { Store } from '../store/store';
import { recordExternalAnswer } from './external-answer';

export const INBOX_ANSWER_NOTE = 'dibalas langsung di kotak masuk Page';

/**
 * A staff answer the citizen already received outside aduan (typed in the Meta Page inbox or the
 * Instagram app, seen as an echo from another app): recorded on the ticket as the answer, counted in
 * first-response and resolution times, and never relayed. What it does to the ticket follows the ticket
 * life's rules for any answer (recordExternalAnswer: `#tanya` waits on the citizen, anything else
 * resolves). Safe to run again for the same message: each entry is attached once.
 */
export async function recordAnswerWithoutRelay(store: Store, ticket: Ticket, answer: ComplaintInput): Promise<Ticket> {
  const by = answer.meta.inboxAnswer ?? 'page-inbox';
  const asked = readAskMark(answer.text);
  await store.attachFollowUp(ticket.id, answer.channel, answer.sourceId, {
    at: answer.receivedAt,
    event: 'staff-reply',
    ref: answer.sourceId,
    by,
    note: `[${INBOX_ANSWER_NOTE}, lewat ${answer.channel}; tidak diteruskan lagi] ${asked.text}`.slice(0, 20_000),
    ...(asked.ask ? { ask: true as const } : {}),
  });
  const current = (await store.getTicket(ticket.id)) ?? ticket;
  await recordExternalAnswer(store, {
    ticket: current,
    channel: answer.channel,
    ref: answer.sourceId,
    text: answer.text,
    at: answer.receivedAt,
    by,
  });
  await store.markIntakeDone(answer.channel, answer.sourceId);
  return (await store.getTicket(ticket.id)) ?? current;
}

/** `meta.inboxAnswer` of an echo from an app not listed as the inbox (channels.meta.inboxAppIds). */
export const OTHER_APP_ANSWER = 'other-app';

/**
 * An echo from an app not listed as the Page inbox (an instant or away reply of Meta Business Suite, a
 * bot): the citizen saw it, so the ticket notes it, but it is no staff answer: times and status unchanged.
 */
export async function recordInboxNote(store: Store, ticket: Ticket, echo: ComplaintInput): Promise<Ticket> {
  const app = echo.meta.inboxAppId ?? '?';
  await store.attachFollowUp(ticket.id, echo.channel, echo.sourceId, {
    at: echo.receivedAt,
    event: 'note',
    ref: echo.sourceId,
    by: `app-${app}`,
    note: `[pesan otomatis dari aplikasi lain (app ${app}) di kotak masuk Page; bukan jawaban petugas] ${echo.text}`.slice(
      0,
      20_000,
    ),
  });
  await store.markIntakeDone(echo.channel, echo.sourceId);
  return (await store.getTicket(ticket.id)) ?? ticket;
}
