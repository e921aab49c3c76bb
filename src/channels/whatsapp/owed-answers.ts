import type { Logger } from '../../lib/logger';
import type { Store } from '../../store/store';
import { splitMessage } from '../shared/split-message';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { parseWaAddress } from './normalize';
import { outgoingRef } from './outgoing-ref';
import { textMessage, type SendResponse } from './send-bodies';

/** A staff answer announced by template because the 24-hour window was closed; sent once the citizen writes. */
export interface OwedAnswer {
  ticketNumber: string;
  text: string;
}

const MAX_TEXT_CHARS = 4096;

function owedKey(address: string): string {
  return `whatsapp-owed-answer:${address}`;
}

/** Remembers the answer (the reply transport calls it after the answer-ready template went out). */
export async function rememberOwedAnswer(store: Store, address: string, answer: OwedAnswer): Promise<void> {
  await store.setCursor(owedKey(address), JSON.stringify(answer));
}

/**
 * When a citizen who was sent the answer-ready template writes again (which opens the window), the
 * answer itself goes out, and the ticket says so. The entry is cleared after sending: a crash in
 * between sends it again with the next message, never loses it.
 */
export class OwedAnswers {
  constructor(private readonly deps: { store: Store; client: CloudClient; state: WhatsAppChannelState; log: Logger }) {}

  async deliverTo(address: string): Promise<void> {
    const { store, client, state, log } = this.deps;
    const saved = await store.getCursor(owedKey(address));
    const target = parseWaAddress(address);
    if (!saved || !target || state.tokenFailure) return;
    const answer = JSON.parse(saved) as OwedAnswer;
    const wamids: string[] = [];
    for (const part of splitMessage(answer.text, MAX_TEXT_CHARS)) {
      const response = await client.post<SendResponse>(
        `${target.phoneNumberId}/messages`,
        textMessage(target.to, part),
      );
      const wamid = response.messages?.[0]?.id;
      if (wamid) wamids.push(wamid);
    }
    await store.setCursor(owedKey(address), '');
    const ticket = await store.getTicketByNumber(answer.ticketNumber);
    if (!ticket) return;
    for (const wamid of wamids) await store.addMessageRef(ticket.id, 'whatsapp', outgoingRef(wamid));
    await store.appendHistory(ticket.id, {
      at: new Date().toISOString(),
      event: 'note',
      note: `Jawaban terkirim lewat WhatsApp setelah pelapor membalas pemberitahuan (${wamids.join(', ')})`,
    });
    log.info({ ticket: answer.ticketNumber, parts: wamids.length }, 'owed WhatsApp answer sent');
  }
}
