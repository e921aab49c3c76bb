import type { ChannelKey } from '../domain/channels';
import type { HistoryEntry, Ticket } from '../domain/complaint';
import { answerOutcome, readAskMark, type AnswerOutcome } from '../domain/ticket-life';
import type { Store } from '../store/store';

/**
 * A staff answer given outside aduan (e.g. typed in the Facebook Page inbox, already seen by the citizen):
 * recorded on the ticket by the same rules as a relayed answer, never relayed again. `#tanya` (or
 * `askFlag`) leaves the ticket waiting on the citizen; any other answer resolves it. Once per (channel,
 * ref): a retried job records nothing twice and changes the status once.
 */
export interface ExternalAnswer {
  ticket: Ticket;
  channel: ChannelKey;
  /** The answer's id on its channel (a Graph message id). */
  ref: string;
  text: string;
  /** When staff sent it. */
  at: string;
  /** Who answered (a Page name or staff address), when known. */
  by?: string;
  askFlag?: boolean;
}

export async function recordExternalAnswer(
  store: Store,
  answer: ExternalAnswer,
): Promise<{ recorded: boolean; outcome: AnswerOutcome }> {
  const outcome = answerOutcome({ text: answer.text, ...(answer.askFlag ? { askFlag: true } : {}) });
  const text = readAskMark(answer.text).text;
  const by = answer.by ? ` oleh ${answer.by}` : '';
  const resolvedBefore = answer.ticket.status === 'resolved';
  const event: HistoryEntry['event'] = outcome === 'ask' ? 'waiting-citizen' : resolvedBefore ? 'note' : 'resolved';
  const entry: HistoryEntry = {
    at: answer.at,
    event,
    ref: answer.ref,
    note: `${outcome === 'ask' ? 'pertanyaan' : 'jawaban'}${by} langsung lewat ${answer.channel}: ${text}`.slice(
      0,
      20_000,
    ),
    ...(answer.by ? { by: answer.by } : {}),
    ...(outcome === 'ask' ? { ask: true as const } : {}),
  };
  const status = event === 'note' ? undefined : event;
  const recorded = await store.attachFollowUp(
    answer.ticket.id,
    answer.channel,
    `answer:${answer.ref}`,
    entry,
    status ? { status } : undefined,
  );
  return { recorded, outcome };
}
