import type { ComplaintInput, Ticket } from '../domain/complaint';
import { parseOwnMessageId, parseReplyTag } from '../domain/office-mail-ids';
import { findTicketNumber } from '../domain/ticket-number';
import { threadRef, type Store } from '../store/store';

/*
 * How a message finds the ticket it belongs to, besides its references to our stored message ids: its chat
 * conversation, our own Message-IDs it answers, the reply address it was sent to, a ticket number it names.
 */

/**
 * Chat channels: another message in a conversation belongs to the conversation's newest ticket; if that
 * one is resolved, the life rules decide (reopen within the window, a new ticket after it).
 */
export async function openConversation(store: Store, complaint: ComplaintInput): Promise<Ticket | undefined> {
  if (!complaint.threadId) return undefined;
  return store.findByMessageRefs(complaint.channel, [threadRef(complaint.threadId)]);
}

/**
 * A reply to our own mail names the ticket in the Message-ID we gave that mail
 * (<ADU-2026-000123.ack@…>, see outbound/email-headers), whatever channel the ticket came from.
 * Those ids are predictable, so like a ticket number in the subject they count for the complainant,
 * or for a message the channel's loop guard marked as not to be answered (a bounce, an
 * out-of-office reply, staff): attaching it can never make us send to its sender.
 */
export async function byOwnMessageId(
  store: Store,
  ownDomain: string,
  complaint: ComplaintInput,
): Promise<Ticket | undefined> {
  for (const ref of complaint.references) {
    const number = parseOwnMessageId(ref, ownDomain)?.ticketNumber;
    const ticket = number ? await store.getTicketByNumber(number) : undefined;
    if (ticket && (!complaint.autoReplyAllowed || sameComplainant(ticket, complaint))) return ticket;
  }
  return undefined;
}

/**
 * Mail to a ticket's reply address from someone who is not staff (the citizen, a relative) adds to
 * that ticket: attaching never sends anything to its sender, so it cannot be abused to reach others.
 */
export async function byReplyTag(store: Store, complaint: ComplaintInput): Promise<Ticket | undefined> {
  const tag = complaint.meta.replyTag ? parseReplyTag(complaint.meta.replyTag) : undefined;
  return tag ? store.getTicketByNumber(tag.ticketNumber) : undefined;
}

/** "ADU-2026-000123" in the subject counts only when the sender is the ticket's complainant. */
export async function byTicketNumber(store: Store, complaint: ComplaintInput): Promise<Ticket | undefined> {
  const number = findTicketNumber(complaint.subject) ?? findTicketNumber(complaint.text.slice(0, 500));
  if (!number) return undefined;
  const ticket = await store.getTicketByNumber(number);
  return ticket && sameComplainant(ticket, complaint) ? ticket : undefined;
}

/** The same person wrote both: e-mail address, phone or platform id (never a name). */
export function sameComplainant(ticket: Ticket, complaint: ComplaintInput): boolean {
  const a = ticket.complainant;
  const b = complaint.complainant;
  return Boolean(
    (a.email && a.email.toLowerCase() === b.email?.toLowerCase()) ||
    (a.phone && a.phone === b.phone) ||
    (a.platformUserId && a.platformUserId === b.platformUserId),
  );
}
