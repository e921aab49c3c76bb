import type { SurveyConfig } from '../config/survey-schema';
import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import { systemClock, type Clock } from '../domain/clock';
import { citizenMailId, citizenReplyAddress } from '../domain/office-mail-ids';
import { answeredResolution, composeSurveyInvitation, SURVEY_EFFECT, wasSent } from '../domain/survey-invitation';
import type { Transport } from '../outbound/message';
import { effectKey, type Store } from '../store/store';
import { createTicketLink, isOptedOut } from '../survey/links';
import type { Plan } from './effect-plan';
import { recipientOf } from './coordination-plans';

export interface SurveyPlanDeps {
  store: Store;
  survey: SurveyConfig;
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  fromAddress: string;
  timeZone: string;
  clock?: Clock;
}

const SURVEY_THANKS =
  'Terima kasih, penilaian Anda sudah kami terima. Masukan Anda membantu Disdukcapil Kabupaten Dairi memperbaiki pelayanan.';

/** Channels where a reply to the invitation can carry the quick answer (a digit). */
const QUICK_ANSWER_CHANNELS: ReadonlySet<ChannelKey> = new Set(['email', 'messenger', 'instagram', 'whatsapp']);
const YES = new Set(['ya', 'yes', 'y', '1', 'true', 'setuju']);

/**
 * Plans the survey invitation and its one reminder on the ticket's channel (issue #21): through the same
 * citizen transports as every answer, so each channel's rules apply (Messenger/Instagram only inside the
 * messaging window; WhatsApp list inside its window, template outside). Each plan makes a fresh link (the
 * token is never stored, only its hash); the ticket still takes one response.
 */
export class SurveyPlans {
  constructor(private readonly deps: SurveyPlanDeps) {}

  async invitation(ticket: Ticket): Promise<Plan> {
    const why = await this.reasonNotToAsk(ticket);
    if (why) return this.skipped(why);
    return this.send(ticket, false);
  }

  async reminder(ticket: Ticket): Promise<Plan> {
    if (this.deps.survey.reminderAfterDays === 0) return { skip: 'pengingat survei tidak diaktifkan' };
    const invitation = await this.deps.store.getEffect(effectKey(ticket.id, SURVEY_EFFECT));
    if (invitation?.state !== 'done' || !wasSent(invitation.detail))
      return { skip: 'undangan survei tidak terkirim, tidak ada pengingat' };
    const why = await this.reasonNotToAsk(ticket);
    if (why) return { skip: why };
    return this.send(ticket, true);
  }

  /**
   * Thanks for a quick answer in chat ("Balas 1–4"): once per ticket (its own effect record), on the channel
   * the answer came by, which the citizen has just used (inside any messaging window).
   */
  async thanks(ticket: Ticket): Promise<Plan> {
    const response = await this.deps.store.getSurveyResponseOfTicket(ticket.id);
    const transport = this.deps.citizenTransports[ticket.channel];
    const recipient = recipientOf(ticket);
    if (response?.via !== 'chat' || !transport || !recipient) return { skip: 'tidak ada jawaban survei lewat pesan' };
    const now = this.now();
    return {
      send: {
        id: citizenMailId(ticket.ticketNumber, 'survey-thanks'),
        purpose: 'survey-invitation',
        channel: ticket.channel,
        to: [recipient],
        subject: `[${ticket.ticketNumber}] Terima kasih atas penilaian Anda`,
        text: SURVEY_THANKS,
        ...(ticket.channel === 'email'
          ? { inReplyTo: ticket.sourceId, references: [...ticket.references, ticket.sourceId] }
          : {}),
        replyTo: citizenReplyAddress(this.deps.fromAddress, ticket.ticketNumber),
      },
      transport,
      history: {
        at: now.toISOString(),
        event: 'note',
        note: `terima kasih atas jawaban survei dikirim lewat ${ticket.channel}`,
      },
    };
  }

  /** Why this ticket's citizen is not asked (now), or undefined. */
  private async reasonNotToAsk(ticket: Ticket): Promise<string | undefined> {
    const { store, survey, citizenTransports } = this.deps;
    if (!answeredResolution(ticket)) return 'tiket tidak lagi berstatus selesai dengan jawaban';
    if (ticket.channel === 'suggestion-box') return 'kotak saran: pelapor tidak dapat dihubungi untuk survei';
    if (ticket.channel === 'walk-in') return 'tatap muka: tautan survei tercetak pada tanda terima';
    if (ticket.channel === 'call-center' && !YES.has((ticket.meta[survey.callCenterConsentField] ?? '').toLowerCase()))
      return 'penelepon tidak menyetujui dihubungi untuk survei';
    if (ticket.meta.automated || !ticket.autoReplyAllowed) return 'pelapor tidak dapat dibalas otomatis';
    const recipient = recipientOf(ticket);
    if (!citizenTransports[ticket.channel] || !recipient)
      return `kanal ${ticket.channel} tidak memiliki jalur pesan kepada pelapor`;
    if (await isOptedOut(store, ticket.channel, recipient)) return 'pelapor memilih tidak menerima survei';
    if (await store.getSurveyResponseOfTicket(ticket.id)) return 'survei tiket ini sudah diisi';
    return undefined;
  }

  private skipped(reason: string): Plan {
    return { skip: reason, history: { at: this.now().toISOString(), event: 'note', note: `survei: ${reason}` } };
  }

  private async send(ticket: Ticket, reminder: boolean): Promise<Plan> {
    const { survey, timeZone } = this.deps;
    const now = this.now();
    const { url, token, link } = await createTicketLink(this.deps.store, survey, ticket, now);
    const quickAnswer = QUICK_ANSWER_CHANNELS.has(ticket.channel);
    const { subject, text } = composeSurveyInvitation({
      ticketNumber: ticket.ticketNumber,
      url,
      expiresAt: link.expiresAt,
      instrument: survey.instrument,
      timeZone,
      reminder,
      quickAnswer,
    });
    const inReplyTo = ticket.channel === 'email' ? ticket.sourceId : undefined;
    return {
      send: {
        id: citizenMailId(ticket.ticketNumber, reminder ? 'survey-reminder' : 'survey'),
        purpose: 'survey-invitation',
        channel: ticket.channel,
        to: [recipientOf(ticket)!],
        subject,
        text,
        ...(inReplyTo ? { inReplyTo, references: [...ticket.references, inReplyTo] } : {}),
        replyTo: citizenReplyAddress(this.deps.fromAddress, ticket.ticketNumber),
        survey: {
          url,
          urlSuffix: token,
          question: survey.instrument.overall.question,
          answers: survey.instrument.overall.answers,
        },
      },
      transport: this.deps.citizenTransports[ticket.channel]!,
      history: {
        at: now.toISOString(),
        event: 'note',
        note: `${reminder ? 'pengingat survei' : 'undangan survei kepuasan'} dikirim lewat ${ticket.channel}`,
      },
    };
  }

  private now(): Date {
    return (this.deps.clock ?? systemClock).now();
  }
}
