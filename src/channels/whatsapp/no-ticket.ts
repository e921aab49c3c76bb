import type { Logger } from '../../lib/logger';
import type { Store } from '../../store/store';
import { formatInZone } from '../shared/local-time';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { parseWaAddress, type WaItem } from './normalize';
import { textMessage } from './send-bodies';

export const RESEND_AS_TEXT =
  'Mohon maaf, pesan Bapak/Ibu tidak dapat kami baca (jenis pesan ini belum didukung). ' +
  'Silakan kirim ulang sebagai teks, foto atau dokumen. Terima kasih. — Disdukcapil Kabupaten Dairi';

/**
 * Reactions and `unsupported` messages (view-once media, polls, edits…) make no ticket. An unsupported
 * one gets a polite request to resend as text, at most once per conversation per day (Asia/Jakarta):
 * the day is marked before sending, so a crash or a redelivery never sends it twice.
 */
export class NoTicketHandler {
  constructor(
    private readonly deps: {
      store: Store;
      client: CloudClient;
      state: WhatsAppChannelState;
      timeZone: string;
      log: Logger;
    },
  ) {}

  async handle(item: Extract<WaItem, { kind: 'no-ticket' }>): Promise<void> {
    const { store, client, state, timeZone, log } = this.deps;
    log.info({ what: item.what }, 'WhatsApp message recorded without a ticket');
    if (item.what !== 'unsupported' || state.tokenFailure) return;
    const address = parseWaAddress(item.replyTo);
    if (!address) return;
    const key = `whatsapp-resend-asked:${item.replyTo}:${formatInZone(Date.now(), timeZone).slice(0, 10)}`;
    if (await store.getCursor(key)) return;
    await store.setCursor(key, item.wamid);
    try {
      await client.post(`${address.phoneNumberId}/messages`, textMessage(address.to, RESEND_AS_TEXT));
    } catch (error) {
      log.warn({ err: error }, 'request to resend as text not sent');
    }
  }
}
