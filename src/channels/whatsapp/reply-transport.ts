import { describeUnsentAttachments } from '../../domain/coordination-messages';
import { namesTicket, ticketNumberOfCitizenMailId } from '../../domain/office-mail-ids';
import { PermanentError, TransientError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { DeliveryProgress } from '../../outbound/delivery-progress';
import { NotSentError, type OutgoingMessage, type Transport } from '../../outbound/message';
import { splitMessage } from '../shared/split-message';
import type { WhatsAppChannelState } from './channel-state';
import type { CloudClient } from './cloud-client';
import { cloudErrorOf } from './cloud-errors';
import { CloudSender, NotOnWhatsAppError, type WaTarget } from './cloud-sender';
import type { WhatsAppConfig } from './config-schema';
import { parseWaAddress, waAddress } from './normalize';
import { OtherRoute, ROUTE_LABELS, type OtherRoutes } from './other-route';
import { mediaUploadForm, prepareMedia, type PreparedMedia } from './outgoing-media';
import { rememberOwedAnswer } from './owed-answers';
import { mediaMessage, surveyListMessage, surveyTemplateMessage, templateMessage, textMessage } from './send-bodies';

/** A Cloud API text message holds at most 4,096 characters. */
export const MAX_TEXT_CHARS = 4096;

export interface WhatsAppReplyDeps {
  section: WhatsAppConfig;
  client: CloudClient;
  state: WhatsAppChannelState;
  log: Logger;
  /** Where a message WhatsApp cannot carry goes instead (the citizen's email, the SMS gateway). */
  otherRoutes?: OtherRoutes;
}

/** Why WhatsApp could not carry a message: the window, the missing template, or a number not on WhatsApp. */
type Blocked = { kind: 'outside-window'; sentBefore: number } | { kind: 'not-on-whatsapp'; reason: string };

/**
 * Answers a citizen on WhatsApp from the number they wrote to. Inside the 24-hour customer-service
 * window the text goes out as is (split politely above 4,096 characters), then each file the answer
 * carries, uploaded (POST /{phone-number-id}/media) and sent by its media id; files WhatsApp cannot carry
 * are named in the text. Every part sent is recorded in `progress`, so a retry sends only what is missing.
 * Meta's 131047 is the authoritative sign the window is closed: then only an approved UTILITY template may
 * go, which announces the answer; the answer itself goes to the citizen's email or SMS when the ticket has
 * one (else the team is told), and on WhatsApp once the citizen writes again (owed-answers.ts).
 * A caller who consented on the call-center line gets the call-center template (`+62…` recipient).
 */
export class WhatsAppReplyTransport implements Transport {
  private readonly sender: CloudSender;
  private readonly other: OtherRoute;

  constructor(private readonly deps: WhatsAppReplyDeps) {
    this.sender = new CloudSender(deps);
    this.other = new OtherRoute(deps.otherRoutes ?? {});
  }

  async deliver(message: OutgoingMessage, progress?: DeliveryProgress): Promise<string> {
    const { state, section } = this.deps;
    const recipient = message.to.length === 1 ? message.to[0]! : '';
    if (/^\+\d{8,15}$/.test(recipient)) return this.deliverOptIn(message, recipient.slice(1), progress);
    const address = parseWaAddress(recipient);
    if (!address) throw new PermanentError('WhatsApp reply needs exactly one <phone number id>:<wa_id> recipient');
    if (!section.numbers.some((n) => n.phoneNumberId === address.phoneNumberId))
      throw new PermanentError(`WhatsApp number ${address.phoneNumberId} is no longer configured`);
    if (state.tokenFailure)
      throw new TransientError(`WhatsApp channel stopped: access token refused (${state.tokenFailure})`, 300_000);
    if (message.purpose === 'survey-invitation' && message.survey)
      return this.surveyInvitation(message, address, progress);
    const { files, unsent } = await prepareMedia(message.attachments ?? []);
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const text = unsent.length
      ? `${message.text}\n\n${describeUnsentAttachments(ticketNumber, unsent, 'WhatsApp')}`
      : message.text;
    if (unsent.length) {
      const listed = unsent.map((f) => `${f.name} (${f.reason})`).join(', ');
      progress?.note(`lampiran tidak dapat dikirim lewat WhatsApp dan disebutkan dalam pesan: ${listed}`);
    }
    const parts = splitMessage(text, MAX_TEXT_CHARS);
    if (parts.length === 0) throw new PermanentError(`${message.id} has no text to send`);
    const sent: string[] = [];
    try {
      for (const [index, part] of parts.entries()) {
        const key = `text-${index + 1}`;
        if (await progress?.sent(key)) continue;
        const wamid = await this.sender.send(address, textMessage(address.to, part), message.id);
        sent.push(wamid);
        await progress?.record(key, `whatsapp: part ${index + 1}/${parts.length} sent as ${wamid}`);
      }
      for (const file of files) {
        if (await progress?.sent(file.part)) continue;
        sent.push(await this.sendFile(address, file, message.id, progress));
      }
    } catch (error) {
      if (cloudErrorOf(error)?.kind === 'outside-window')
        return this.blocked(message, address, progress, { kind: 'outside-window', sentBefore: sent.length });
      if (error instanceof NotOnWhatsAppError)
        return this.blocked(message, address, progress, { kind: 'not-on-whatsapp', reason: error.reason });
      throw error;
    }
    const repeated = parts.length + files.length - sent.length;
    return `whatsapp: sent ${sent.join(', ') || 'nothing new'}${repeated ? ` (${repeated} part(s) sent by an earlier attempt)` : ''}`;
  }

  /**
   * The survey invitation: inside the window a list of the four answers (with the link in its text); outside it
   * (131047) the survey template with its URL button. No template, or one Meta refuses (a template can be
   * recategorised after approval): not sent, noted on the ticket, the admins alerted, never retried.
   */
  private async surveyInvitation(
    message: OutgoingMessage,
    address: WaTarget,
    progress: DeliveryProgress | undefined,
  ): Promise<string> {
    const survey = message.survey!;
    try {
      const wamid = await this.sender.send(
        address,
        surveyListMessage(address.to, message.text, survey.answers),
        message.id,
      );
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
    const wamid = await this.sender.send(address, body, message.id, template);
    await progress?.record('template', `whatsapp: survey template ${template.name} sent as ${wamid}`);
    return `whatsapp: outside the 24-hour window; survey template ${template.name} sent as ${wamid}`;
  }

  /** Upload, then send by media id; a file Meta refuses (its checks are stricter than ours) is noted, the rest go. */
  private async sendFile(
    address: WaTarget,
    file: PreparedMedia,
    messageId: string,
    progress: DeliveryProgress | undefined,
  ): Promise<string> {
    let wamid: string;
    try {
      const mediaId = await this.sender.upload(address, await mediaUploadForm(file), messageId);
      wamid = await this.sender.send(address, mediaMessage(address.to, file.type, mediaId, file.name), messageId);
    } catch (error) {
      const cloud = cloudErrorOf(error);
      if (cloud?.kind !== 'invalid') throw error;
      this.deps.log.warn({ id: messageId, file: file.name, code: cloud.code }, 'Cloud API refused a file; not retried');
      progress?.note(
        `lampiran ${file.name} ditolak WhatsApp (${cloud.message}); mohon kirimkan kepada pelapor dengan cara lain`,
      );
      await progress?.record(file.part, `whatsapp: ${file.name} refused: ${cloud.message}`);
      return `${file.name} refused`;
    }
    await progress?.record(file.part, `whatsapp: ${file.name} sent as ${file.type} ${wamid}`);
    return `${file.name} ${wamid}`;
  }

  /**
   * WhatsApp cannot carry the message. Outside the window the purpose's template announces it (the receipt
   * template is the receipt itself); the message itself goes by the citizen's email or SMS when the ticket
   * has one; otherwise the ticket and the team are told. An announced answer is also owed on WhatsApp.
   */
  private async blocked(
    message: OutgoingMessage,
    address: WaTarget,
    progress: DeliveryProgress | undefined,
    why: Blocked,
  ): Promise<string> {
    const first = message.purpose === 'acknowledgement';
    const { templates } = this.deps.section;
    // A notice that may not name its ticket has no template: every template names the ticket number.
    const template =
      why.kind === 'outside-window' && namesTicket(message.id)
        ? first
          ? templates.received
          : templates.answerReady
        : undefined;
    if (template && !(await progress?.sent('template'))) {
      const ticketNumber = ticketNumberOfCitizenMailId(message.id);
      const body = templateMessage(address.to, template, { ticketNumber });
      const wamid = await this.sender.send(address, body, message.id, template);
      await progress?.record('template', `whatsapp: template ${template.name} sent as ${wamid}`);
    }
    if (template && first) return `whatsapp: outside the 24-hour window; template ${template.name} sent instead`;
    const partly =
      why.kind === 'outside-window' && why.sentBefore ? ` (${why.sentBefore} bagian pertama sudah terkirim)` : '';
    const cause =
      why.kind === 'not-on-whatsapp'
        ? why.reason.split(';')[0]!
        : template
          ? `di luar jendela 24 jam WhatsApp: templat ${template.name} memberi tahu pelapor bahwa jawaban sudah siap`
          : `di luar jendela 24 jam WhatsApp (Meta menolak dengan kode 131047) dan templat pesan untuk ` +
            `${first ? 'tanda terima' : 'pemberitahuan jawaban'} belum diatur`;
    const delivered = await this.other.deliver(message, progress);
    if (template) await this.owe(message, address, delivered?.kind);
    if (delivered) {
      const label = ROUTE_LABELS[delivered.kind];
      progress?.note(`${cause}; isi pesan dikirim lewat ${label} pelapor${partly}`);
      this.deps.log.info(
        { id: message.id, route: delivered.kind },
        'WhatsApp could not carry the message; sent by another route',
      );
      return `whatsapp: not carried (${why.kind}); ${delivered.detail}`;
    }
    if (why.kind === 'not-on-whatsapp') throw new NotSentError(why.reason);
    if (!template) throw new NotSentError(`${cause}${partly}; mohon hubungi pelapor dengan cara lain`);
    throw new NotSentError(
      `${cause}, tetapi isi jawaban belum terkirim${partly}. ` +
        (this.deps.state.store
          ? 'Jawaban akan dikirim otomatis begitu pelapor membalas; bila mendesak, sampaikan lewat email/telepon pelapor'
          : 'Jawaban dapat dikirim setelah pelapor membalas, atau sampaikan lewat email/telepon pelapor'),
    );
  }

  /** The announced answer goes out on WhatsApp once the citizen writes again (saying so if it went elsewhere). */
  private async owe(message: OutgoingMessage, address: WaTarget, deliveredBy: 'email' | 'sms' | undefined) {
    const store = this.deps.state.store;
    if (!store) return;
    const files = message.attachments ?? [];
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const named =
      files.length && deliveredBy !== 'email'
        ? `\n\n${describeUnsentAttachments(
            ticketNumber,
            files.map((f) => ({ name: f.filename, reason: 'tidak dikirim ulang' })),
            'WhatsApp',
          )}`
        : '';
    await rememberOwedAnswer(store, waAddress(address.phoneNumberId, address.to), {
      ticketNumber,
      messageId: message.id,
      text: `${message.text}${named}`,
      ...(deliveredBy ? { deliveredBy } : {}),
    });
  }

  /**
   * The call-center's initial response to a caller who consented to WhatsApp: only the configured UTILITY
   * template (the business starts this conversation), from the configured number; recorded so a retry does
   * not send it twice.
   */
  private async deliverOptIn(message: OutgoingMessage, waId: string, progress?: DeliveryProgress): Promise<string> {
    const { section, state } = this.deps;
    const template = section.templates.callCenterReceived;
    if (!template)
      throw new NotSentError(
        'penelepon setuju dihubungi lewat WhatsApp, tetapi templat channels.whatsapp.templates.callCenterReceived belum diatur',
      );
    if (state.tokenFailure)
      throw new TransientError(`WhatsApp channel stopped: access token refused (${state.tokenFailure})`, 300_000);
    if (await progress?.sent('template')) return `whatsapp: template ${template.name} sent by an earlier attempt`;
    const address = { phoneNumberId: section.callCenterNumberId ?? section.numbers[0]!.phoneNumberId, to: waId };
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const wamid = await this.sender.send(
      address,
      templateMessage(waId, template, { ticketNumber }),
      message.id,
      template,
    );
    await progress?.record('template', `whatsapp: template ${template.name} sent as ${wamid}`);
    return `whatsapp: call-center template ${template.name} sent as ${wamid}`;
  }
}
