import { ticketNumberOfCitizenMailId } from '../../domain/office-mail-ids';
import { PermanentError, TransientError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { NotSentError } from '../../outbound/message';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { CloudApiError, cloudErrorOf } from './cloud-errors';
import type { WhatsAppConfig, WhatsAppTemplate } from './config-schema';
import { outgoingRef } from './outgoing-ref';
import type { SendResponse } from './send-bodies';

/** Pauses when Meta gives no time: a number's throughput limit, and the pair rate (about one message per 6 s). */
const NUMBER_PAUSE_MS = 30_000;
const RECIPIENT_PAUSE_MS = 6_000;

export interface WaTarget {
  phoneNumberId: string;
  to: string;
}

/** 131026: the number cannot receive WhatsApp messages; the message may still reach the citizen another way. */
export class NotOnWhatsAppError extends NotSentError {}

/**
 * One Cloud API call on behalf of a reply: the per-number and per-recipient back-off is honoured before it,
 * and its error adjusts the back-off, stops the channel on a refused token, alerts the admin about a refused
 * template, and becomes a NotSentError where Meta says the citizen cannot be reached this way.
 */
export class CloudSender {
  constructor(
    private readonly deps: { section: WhatsAppConfig; client: CloudClient; state: WhatsAppChannelState; log: Logger },
  ) {}

  /** One send; its wamid is kept on the ticket to match `statuses` later. */
  async send(address: WaTarget, body: unknown, messageId: string, template?: WhatsAppTemplate): Promise<string> {
    const { client, state, log } = this.deps;
    this.checkPause(address);
    let response: SendResponse;
    try {
      response = await client.post<SendResponse>(`${address.phoneNumberId}/messages`, body);
    } catch (error) {
      throw await this.handleError(error, address, messageId, template);
    }
    await state.tokenWorks(this.deps.section.numbers[0]!.phoneNumberId);
    const wamid = response.messages?.[0]?.id;
    if (typeof wamid !== 'string') throw new PermanentError('Cloud API answered a send without a message id');
    await this.keepOnTicket(messageId, wamid).catch((error: unknown) =>
      log.warn({ err: error, id: messageId }, 'outgoing wamid not kept on the ticket'),
    );
    return wamid;
  }

  /** POST /{phone-number-id}/media; the media id to send the file by. */
  async upload(address: WaTarget, form: FormData, messageId: string): Promise<string> {
    this.checkPause(address);
    let response: { id?: unknown };
    try {
      response = await this.deps.client.postForm<{ id?: unknown }>(`${address.phoneNumberId}/media`, form);
    } catch (error) {
      throw await this.handleError(error, address, messageId, undefined);
    }
    if (typeof response.id !== 'string') throw new PermanentError('Cloud API answered an upload without a media id');
    return response.id;
  }

  private checkPause(address: WaTarget): void {
    const { state } = this.deps;
    const wait = Math.max(state.waitFor(address.phoneNumberId), state.waitFor(recipientKey(address)));
    if (wait > 0) throw new TransientError(`WhatsApp number or recipient paused after a rate limit`, wait);
  }

  private async handleError(
    error: unknown,
    address: WaTarget,
    messageId: string,
    template: WhatsAppTemplate | undefined,
  ): Promise<unknown> {
    const { state, log, section } = this.deps;
    const cloud = cloudErrorOf(error);
    if (!cloud) return error;
    log.warn({ id: messageId, code: cloud.code, kind: cloud.kind }, 'Cloud API refused a send');
    state.metrics.sendError(cloud.code);
    switch (cloud.kind) {
      case 'rate-limit': {
        const ms =
          cloud instanceof CloudApiError && cloud.retryAfterMs !== undefined ? cloud.retryAfterMs : NUMBER_PAUSE_MS;
        state.pause(address.phoneNumberId, ms);
        return new TransientError(`${cloud.message}; number paused for ${ms} ms`, ms);
      }
      case 'pair-rate-limit':
        state.pause(recipientKey(address), RECIPIENT_PAUSE_MS);
        return new TransientError(`${cloud.message}; recipient paused`, RECIPIENT_PAUSE_MS);
      case 'auth':
        await state.tokenRefused(cloud.message, section.numbers[0]!.phoneNumberId);
        return new TransientError(`WhatsApp channel stopped: ${cloud.message}`, 300_000);
      case 'unreachable':
        return new NotOnWhatsAppError(
          'nomor pelapor tidak dapat menerima pesan WhatsApp (kode 131026: bukan pengguna WhatsApp atau aplikasinya ' +
            'terlalu lama); mohon hubungi pelapor lewat telepon, SMS atau email',
        );
      case 'template': {
        const name = template?.name ?? '(tidak diketahui)';
        await state.alerts
          ?.raise(
            `whatsapp-template-${name}`,
            `Templat WhatsApp ${name} ditolak Meta (kode ${cloud.code})`,
            [
              `Meta menolak pengiriman templat WhatsApp "${name}" (kode ${cloud.code}: ${cloud.message}).`,
              'Kode 132000–132016 berarti templat tidak ada, jumlah parameternya tidak cocok, atau templat',
              'dijeda/dinonaktifkan. Periksa templat di WhatsApp Manager dan channels.whatsapp.templates di konfigurasi.',
            ].join('\n'),
          )
          .catch((alertError: unknown) => log.error({ err: alertError }, 'template alert not sent'));
        return new NotSentError(
          `templat WhatsApp ${name} ditolak Meta (kode ${cloud.code}); admin sudah diberi tahu. Mohon hubungi pelapor dengan cara lain`,
        );
      }
      default:
        return error;
    }
  }

  private async keepOnTicket(messageId: string, wamid: string): Promise<void> {
    const store = this.deps.state.store;
    if (!store) return;
    const ticket = await store.getTicketByNumber(ticketNumberOfCitizenMailId(messageId));
    if (ticket) await store.addMessageRef(ticket.id, 'whatsapp', outgoingRef(wamid));
  }
}

function recipientKey(address: WaTarget): string {
  return `${address.phoneNumberId}:${address.to}`;
}
