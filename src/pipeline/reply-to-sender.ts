import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import { citizenMailId, unnamedNoticeId } from '../domain/office-mail-ids';
import type { OutgoingMessage, Transport } from '../outbound/message';
import type { Plan } from './effect-plan';
import { hashId } from './queues';

/** A message recorded on a ticket that is answered where it came from, not on the ticket's own channel. */
export interface SenderReply {
  ticket: Ticket;
  /** The message's id on its channel (its history entry's ref). */
  ref: string;
  channel: ChannelKey;
  /** The contact it came from; none: nothing to answer to. */
  to: string | undefined;
  transport: Transport | undefined;
  /** Our Message-ID's suffix kind (`st`, `join`): one id per message answered, so a retry is the same mail. */
  idKind: string;
  /**
   * A reply that must not name its ticket (the Message-ID and reply address are seen by the recipient): an id
   * that names none, and no Reply-To (answers go to the office's From address).
   */
  unnamed?: boolean;
  purpose: OutgoingMessage['purpose'];
  compose(): { subject: string; text: string };
  replyTo: string;
  /** The ticket's note when sent, and when the channel has no automatic reply. */
  sentNote: string;
  skippedNote: string;
}

/**
 * The plan of such a reply (a repeat complaint joined, a status question): to the contact and channel the
 * message was recorded with, threaded under it on email; a channel without an automatic reply is only noted.
 */
export function senderReplyPlan(reply: SenderReply): Plan {
  const at = new Date().toISOString();
  const { ticket, ref, channel, to, transport } = reply;
  if (!transport || !to)
    return { skip: 'no automatic reply on that channel', history: { at, event: 'note', note: reply.skippedNote, ref } };
  const { subject, text } = reply.compose();
  const id = reply.unnamed
    ? unnamedNoticeId(reply.idKind, hashId(ticket.id, ref).slice(0, 24))
    : citizenMailId(ticket.ticketNumber, `${reply.idKind}-${hashId(ref).slice(0, 12)}`);
  return {
    send: {
      id,
      purpose: reply.purpose,
      channel,
      to: [to],
      subject,
      text,
      ...(channel === 'email' ? { inReplyTo: ref, references: [ref] } : {}),
      ...(reply.unnamed ? {} : { replyTo: reply.replyTo }),
    },
    transport,
    history: { at, event: 'note', note: reply.sentNote, ref },
  };
}
