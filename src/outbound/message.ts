import type { ChannelKey } from '../domain/channels';
import type { DeliveryProgress } from './delivery-progress';

/** One message aduan sends: to a citizen on their channel, or to a team inbox. */
export interface OutgoingMessage {
  /** Deterministic per ticket and purpose (ADU-2026-000001.ack): Message-ID, file name and dedupe key. */
  id: string;
  purpose:
    | 'acknowledgement'
    | 'team-ticket'
    | 'team-follow-up'
    | 'solution'
    | 'alert'
    | 'report'
    | 'survey-invitation'
    /** The automatic answer to "sudah sampai mana?" (or its "not found"). */
    | 'status-answer';
  /** The channel the recipient is reached on; team mail is always `email`. */
  channel: ChannelKey;
  /** Email addresses, platform user ids or phone numbers, depending on the channel. */
  to: string[];
  subject: string;
  text: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
  attachments?: Array<{ filename: string; contentType: string; path: string }>;
  /**
   * The citizen's other contacts from the ticket, for a chat channel that cannot carry the message (WhatsApp
   * outside its 24-hour window, or a number not on WhatsApp): the transport may deliver it there instead.
   */
  otherContacts?: { email?: string; phone?: string };
  /**
   * A survey invitation's parts, for channels that show them natively (a WhatsApp list inside the window, a
   * template's URL button outside it: `urlSuffix` is what follows the template's fixed URL).
   */
  survey?: { url: string; urlSuffix: string; question: string; answers: readonly string[] };
}

/** Delivers messages; returns a short description of what happened, stored on the effect record. */
export interface Transport {
  /** `progress` is given by the effects stage: a transport sending in several calls skips parts already sent. */
  deliver(message: OutgoingMessage, progress?: DeliveryProgress): Promise<string>;
  close?(): Promise<void>;
}

/**
 * Thrown by a transport that deliberately does not send (e.g. Messenger outside the 24-hour window).
 * Not a failure: the effects stage records the effect as not sent, notes `reason` (Bahasa Indonesia)
 * on the ticket and tells the team; nothing is retried.
 */
export class NotSentError extends Error {
  constructor(readonly reason: string) {
    super(`not sent: ${reason}`);
    this.name = 'NotSentError';
  }
}
