import { createHash } from 'node:crypto';
import type { HistoryEntry } from '../../domain/complaint';
import type { Logger } from '../../lib/logger';
import { effectKey, type Store } from '../../store/store';
import { splitMessage } from '../shared/split-message';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { parseWaAddress } from './normalize';
import { ROUTE_LABELS, type OtherRouteKind } from './other-route';
import { outgoingRef } from './outgoing-ref';
import { textMessage, type SendResponse } from './send-bodies';

/** A staff answer announced by template because the 24-hour window was closed; sent once the citizen writes. */
export interface OwedAnswer {
  ticketNumber: string;
  /** The relayed message's id (ADU-….sol-…): one owed answer per relayed message. */
  messageId: string;
  text: string;
  /** The answer already reached the citizen by this route; on WhatsApp it is sent once more, saying so. */
  deliveredBy?: OtherRouteKind;
}

const MAX_TEXT_CHARS = 4096;
const LEASE_MS = 60_000;

function owedKey(address: string): string {
  return `whatsapp-owed-answer:${address}`;
}

function effectKind(answer: OwedAnswer): string {
  return `owed-whatsapp-${createHash('sha256').update(answer.messageId).digest('hex').slice(0, 12)}`;
}

async function owedAt(store: Store, address: string): Promise<OwedAnswer[]> {
  const saved = await store.getCursor(owedKey(address));
  if (!saved) return [];
  try {
    const parsed = JSON.parse(saved) as OwedAnswer | OwedAnswer[];
    // Before answers were keyed by message, one answer was kept per citizen.
    return (Array.isArray(parsed) ? parsed : [parsed]).map((a) => ({ ...a, messageId: a.messageId ?? a.ticketNumber }));
  } catch {
    return [];
  }
}

/** Remembers the answer (the reply transport calls it after the answer-ready template went out). */
export async function rememberOwedAnswer(store: Store, address: string, answer: OwedAnswer): Promise<void> {
  const kept: OwedAnswer[] = [];
  for (const owed of await owedAt(store, address)) {
    if (owed.messageId === answer.messageId) continue;
    const ticket = await store.getTicketByNumber(owed.ticketNumber);
    // Answers already sent on WhatsApp are dropped here, the only writer, so the list stays short.
    const done = ticket && (await store.getEffect(effectKey(ticket.id, effectKind(owed))))?.state === 'done';
    if (ticket && !done) kept.push(owed);
  }
  await store.setCursor(owedKey(address), JSON.stringify([...kept, answer]));
}

/**
 * When a citizen who was sent the answer-ready template writes again (which opens the window), each answer
 * owed to them goes out on WhatsApp, once: an effect of its ticket (started before sending, completed with
 * the history entry), each text part recorded so a retry sends only what is missing. An answer that already
 * reached them by email or SMS is sent once more here, saying so: they asked on WhatsApp because the template
 * told them the answer was ready, and the other message may sit unread in a mailbox they rarely open.
 */
export class OwedAnswers {
  constructor(private readonly deps: { store: Store; client: CloudClient; state: WhatsAppChannelState; log: Logger }) {}

  async deliverTo(address: string): Promise<void> {
    const { store, state } = this.deps;
    const target = parseWaAddress(address);
    if (!target || state.tokenFailure) return;
    for (const answer of await owedAt(store, address)) await this.deliverOne(target, answer);
  }

  private async deliverOne(target: { phoneNumberId: string; to: string }, answer: OwedAnswer): Promise<void> {
    const { store, client, log } = this.deps;
    const ticket = await store.getTicketByNumber(answer.ticketNumber);
    if (!ticket) return;
    const kind = effectKind(answer);
    const key = effectKey(ticket.id, kind);
    const begun = await store.beginEffect(key, ticket.id, kind, LEASE_MS);
    if (begun === 'done' || begun === 'busy') return;
    const lead = answer.deliveredBy
      ? `Jawaban ini sudah kami kirim juga lewat ${ROUTE_LABELS[answer.deliveredBy]} Anda.\n\n`
      : '';
    const wamids: string[] = [];
    try {
      for (const [index, part] of splitMessage(`${lead}${answer.text}`, MAX_TEXT_CHARS).entries()) {
        const partKey = `${key}/text-${index + 1}`;
        if ((await store.getEffect(partKey))?.state === 'done') continue;
        const response = await client.post<SendResponse>(
          `${target.phoneNumberId}/messages`,
          textMessage(target.to, part),
        );
        const wamid = response.messages?.[0]?.id ?? '?';
        wamids.push(wamid);
        await store.beginEffect(partKey, ticket.id, `${kind}/text-${index + 1}`, LEASE_MS);
        await store.completeEffect(partKey, `whatsapp: sent as ${wamid}`);
        await store.addMessageRef(ticket.id, 'whatsapp', outgoingRef(wamid));
      }
    } catch (error) {
      await store.releaseEffect(key);
      throw error;
    }
    const entry: HistoryEntry = {
      at: new Date().toISOString(),
      event: 'note',
      note:
        `Jawaban terkirim lewat WhatsApp setelah pelapor membalas pemberitahuan (${wamids.join(', ')})` +
        (answer.deliveredBy ? `; sebelumnya sudah terkirim lewat ${ROUTE_LABELS[answer.deliveredBy]}` : ''),
    };
    await store.completeEffect(key, `whatsapp: owed answer sent ${wamids.join(', ')}`, { entry });
    log.info({ ticket: answer.ticketNumber, parts: wamids.length }, 'owed WhatsApp answer sent');
  }
}
