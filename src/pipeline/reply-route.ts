import { CHANNELS, type ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import type { OutgoingMessage, Transport } from '../outbound/message';

/** Where a message to the citizen goes on the ticket's channel. */
export function recipientOf(ticket: Ticket): string | undefined {
  return ticket.complainant[CHANNELS[ticket.channel].replyContact];
}

/**
 * The citizen's email and phone, for a chat channel's transport that cannot carry a message (WhatsApp outside
 * its window or a number not on WhatsApp) and may deliver it there instead. None where the channel's own
 * contact is already one of them.
 */
export function otherContactsOf(ticket: Ticket): Pick<OutgoingMessage, 'otherContacts'> {
  if (CHANNELS[ticket.channel].replyContact !== 'platformUserId') return {};
  const { email, phone } = ticket.complainant;
  if (!email && !phone) return {};
  return { otherContacts: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) } };
}

/**
 * How the initial response reaches the citizen: on the ticket's channel, except for a caller whose call log
 * records consent to WhatsApp on a mobile number (`meta.waOptIn`, set by the call-center channel only when the
 * admin turned it on): then over WhatsApp, to the caller's number, when WhatsApp is configured.
 */
export function initialResponseRoute(
  ticket: Ticket,
  transports: Partial<Record<ChannelKey, Transport>>,
): { channel: ChannelKey; transport: Transport | undefined; recipient: string | undefined } {
  const whatsapp = transports.whatsapp;
  if (ticket.channel === 'call-center' && ticket.meta.waOptIn === 'ya' && ticket.complainant.phone && whatsapp)
    return { channel: 'whatsapp', transport: whatsapp, recipient: ticket.complainant.phone };
  return { channel: ticket.channel, transport: transports[ticket.channel], recipient: recipientOf(ticket) };
}
