import { ticketNumberOfCitizenMailId } from '../../domain/office-mail-ids';
import { PermanentError, TransientError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { DeliveryProgress } from '../../outbound/delivery-progress';
import { NotSentError, type OutgoingMessage, type Transport } from '../../outbound/message';
import { splitMessage } from '../shared/split-message';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { CloudApiError, cloudErrorOf } from './cloud-errors';
import type { WhatsAppConfig, WhatsAppTemplate } from './config-schema';
import { parseWaAddress, waAddress } from './normalize';
import { outgoingRef } from './outgoing-ref';
import { rememberOwedAnswer } from './owed-answers';
import {
  surveyListMessage,
  surveyTemplateMessage,
  templateMessage,
  textMessage,
  type SendResponse,
} from './send-bodies';

/** A Cloud API text message holds at most 4,096 characters. */
export const MAX_TEXT_CHARS = 4096;
/** Pauses when Meta gives no time: a number's throughput limit, and the pair rate (about one message per 6 s). */
const NUMBER_PAUSE_MS = 30_000;
const RECIPIENT_PAUSE_MS = 6_000;

export interface WhatsAppReplyDeps {
  section: WhatsAppConfig;
  client: CloudClient;
  state: WhatsAppChannelState;
  log: Logger;
}

/**
 * Answers a citizen on WhatsApp from the number they wrote to. Inside the 24-hour customer-service
 * window the text goes out as is (split politely above 4,096 characters); Meta's 131047 is the
 * authoritative sign the window is closed, and then only an approved UTILITY template may go: it
 * announces the answer (a template cannot carry it), and the ticket and the team are told the answer
 * itself still has to reach the citizen. Each part sent is recorded in `progress` with its wamid, so
 * a retry sends only what is missing; the wamid is also kept on the ticket to match `statuses` later.
 */
export class WhatsAppReplyTransport implements Transport {
  constructor(private readonly deps: WhatsAppReplyDeps) {}

  async deliver(message: OutgoingMessage, progress?: DeliveryProgress): Promise<string> {
    const { state } = this.deps;
    const address = message.to.length === 1 ? parseWaAddress(message.to[0]!) : undefined;
    if (!address) throw new PermanentError('WhatsApp reply needs exactly one <phone number id>:<wa_id> recipient');
    if (!this.deps.section.numbers.some((n) => n.phoneNumberId === address.phoneNumberId))
      throw new PermanentError(`WhatsApp number ${address.phoneNumberId} is no longer configured`);
    if (state.tokenFailure)
      throw new TransientError(`WhatsApp channel stopped: access token refused (${state.tokenFailure})`, 300_000);
    if (message.purpose === 'survey-invitation' && message.survey)
      return this.surveyInvitation(message, address, progress);
    const parts = splitMessage(message.text, MAX_TEXT_CHARS);
    if (parts.length === 0) throw new PermanentError(`${message.id} has no text to send`);
    const sent: string[] = [];
    for (const [index, part] of parts.entries()) {
      const key = `text-${index + 1}`;
      if (await progress?.sent(key)) continue;
      try {
        const wamid = await this.send(address, textMessage(address.to, part), message.id);
        sent.push(wamid);
        await progress?.record(key, `whatsapp: part ${index + 1}/${parts.length} sent as ${wamid}`);
      } catch (error) {
        if (cloudErrorOf(error)?.kind !== 'outside-window') throw error;
        return this.outsideWindow(message, address, progress, sent);
      }
    }
    const repeated = parts.length - sent.length;
    return `whatsapp: sent ${sent.join(', ') || 'nothing new'}${repeated ? ` (${repeated} part(s) sent by an earlier attempt)` : ''}`;
  }

  /**
   * The survey invitation: inside the window a list of the four answers (with the link in its text); outside it
   * (131047) the survey template with its URL button. No template, or one Meta refuses (a template can be
   * recategorised after approval): not sent, noted on the ticket, the admins alerted, never retried.
   */
  private async surveyInvitation(
    message: OutgoingMessage,
    address: { phoneNumberId: string; to: string },
    progress: DeliveryProgress | undefined,
  ): Promise<string> {
    const survey = message.survey!;
    try {
      const wamid = await this.send(address, surveyListMessage(address.to, message.text, survey.answers), message.id);
      await progress?.record('list', `whatsapp: survey list sent as ${wamid}`);
      return `whatsapp: survey list sent as ${wamid}`;
    } catch (error) {
      if (cloudErrorOf(error)?.kind !== 'outside-window') throw error;
    }
    const template = this.deps.section.templates.survey;
    if (!template)
      throw new NotSentError(
        'di luar jendela 24 jam WhatsApp dan templat undangan survei (channels.whatsapp.templates.survey) belum diatur',
      );
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const body = surveyTemplateMessage(address.to, template, { ticketNumber }, survey.urlSuffix);
    const wamid = await this.send(address, body, message.id, template);
    await progress?.record('template', `whatsapp: survey template ${template.name} sent as ${wamid}`);
    return `whatsapp: outside the 24-hour window; survey template ${template.name} sent as ${wamid}`;
  }

  /** 131047: the configured template of this purpose announces the answer; no template: the team is told. */
  private async outsideWindow(
    message: OutgoingMessage,
    address: { phoneNumberId: string; to: string },
    progress: DeliveryProgress | undefined,
    sentBefore: string[],
  ): Promise<string> {
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const first = message.purpose === 'acknowledgement';
    const template = first ? this.deps.section.templates.received : this.deps.section.templates.answerReady;
    const partly = sentBefore.length ? ` (${sentBefore.length} bagian pertama sudah terkirim)` : '';
    if (!template)
      throw new NotSentError(
        `di luar jendela 24 jam WhatsApp (Meta menolak dengan kode 131047) dan templat pesan untuk ` +
          `${first ? 'tanda terima' : 'pemberitahuan jawaban'} belum diatur${partly}; mohon hubungi pelapor dengan cara lain`,
      );
    if (!(await progress?.sent('template'))) {
      const wamid = await this.send(
        address,
        templateMessage(address.to, template, { ticketNumber }),
        message.id,
        template,
      );
      await progress?.record('template', `whatsapp: template ${template.name} sent as ${wamid}`);
    }
    if (first) return `whatsapp: outside the 24-hour window; template ${template.name} sent instead`;
    const store = this.deps.state.store;
    if (store)
      await rememberOwedAnswer(store, waAddress(address.phoneNumberId, address.to), {
        ticketNumber,
        text: message.text,
      });
    throw new NotSentError(
      `di luar jendela 24 jam WhatsApp: templat ${template.name} terkirim untuk memberi tahu pelapor bahwa jawaban ` +
        `sudah siap, tetapi isi jawaban belum terkirim${partly}. ` +
        (store
          ? 'Jawaban akan dikirim otomatis begitu pelapor membalas; bila mendesak, sampaikan lewat email/telepon pelapor'
          : 'Jawaban dapat dikirim setelah pelapor membalas, atau sampaikan lewat email/telepon pelapor'),
    );
  }

  /** One send; its wamid is kept on the ticket. Errors adjust the channel's back-off, token and alerts. */
  private async send(
    address: { phoneNumberId: string; to: string },
    body: unknown,
    messageId: string,
    template?: WhatsAppTemplate,
  ): Promise<string> {
    const { client, state, log } = this.deps;
    const recipientKey = `${address.phoneNumberId}:${address.to}`;
    const wait = Math.max(state.waitFor(address.phoneNumberId), state.waitFor(recipientKey));
    if (wait > 0) throw new TransientError(`WhatsApp number or recipient paused after a rate limit`, wait);
    let response: SendResponse;
    try {
      response = await client.post<SendResponse>(`${address.phoneNumberId}/messages`, body);
    } catch (error) {
      throw await this.handleError(error, address, recipientKey, messageId, template);
    }
    await state.tokenWorks(this.deps.section.numbers[0]!.phoneNumberId);
    const wamid = response.messages?.[0]?.id;
    if (typeof wamid !== 'string') throw new PermanentError('Cloud API answered a send without a message id');
    await this.keepOnTicket(messageId, wamid).catch((error: unknown) =>
      log.warn({ err: error, id: messageId }, 'outgoing wamid not kept on the ticket'),
    );
    return wamid;
  }

  private async handleError(
    error: unknown,
    address: { phoneNumberId: string; to: string },
    recipientKey: string,
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
        state.pause(recipientKey, RECIPIENT_PAUSE_MS);
        return new TransientError(`${cloud.message}; recipient paused`, RECIPIENT_PAUSE_MS);
      case 'auth':
        await state.tokenRefused(cloud.message, section.numbers[0]!.phoneNumberId);
        return new TransientError(`WhatsApp channel stopped: ${cloud.message}`, 300_000);
      case 'unreachable':
        return new NotSentError(
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
