import { createHash } from 'node:crypto';
import { validateComplaint, type ComplaintInput, type ComplaintInputDraft, type Ticket } from '../../domain/complaint';
import { officeDate } from '../../domain/sla';
import type { Logger } from '../../lib/logger';
import type { DeliveryProgress } from '../../outbound/delivery-progress';
import { NotSentError, type Transport } from '../../outbound/message';
import { threadRef, type Store } from '../../store/store';
import { answersOpenInvitation } from '../../survey/open-invitation';
import type { ComplaintSink, SubmitResult } from '../complaint-sink';

/** The prompt a citizen gets (once per conversation per day) after a message with nothing to classify. */
export const CHAT_PROMPT = [
  'Terima kasih telah menghubungi Disdukcapil Kabupaten Dairi.',
  'Silakan tuliskan pengaduan Anda: layanan yang dimaksud (KTP-el, KK, akta, KIA, pindah datang, dan lainnya), apa yang terjadi, dan sejak kapan. Bila ada, sertakan foto dokumen atau bukti pendukung.',
  'Pengaduan Anda akan kami catat dan teruskan kepada petugas yang menangani.',
].join('\n\n');

/** At most this many kept messages open a ticket with the content (the latest ones); older ones are left out. */
export const MAX_HELD_MESSAGES = 20;
/** Kept messages older than this (before the content message) belong to no complaint any more. */
export const HELD_MESSAGE_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** Long enough for one Send API call and its retries; a crashed attempt is picked up after it. */
const PROMPT_LEASE_MS = 2 * 60_000;

export interface ConversationOpenerDeps {
  store: Store;
  /** Sends the prompt on the message's channel (absent: no prompt, the message is still kept). */
  transports: Partial<Record<string, Transport>>;
  timeZone: string;
  log: Logger;
  /** The survey is on: a reply to an open invitation (links valid this many days) is never held. */
  surveyLinkValidDays?: number;
}

/**
 * A chat conversation becomes a complaint when it has content. A message the channel marked as
 * `meta.chatter` (a greeting, a sticker, a menu tap) in a conversation without an open ticket is kept
 * in the store instead of opening a ticket, and the citizen is asked, at most once per conversation
 * per day, to write the complaint. The next message with content is submitted with the kept messages
 * before it: one ticket, whose time is the first message's. In a conversation with an open ticket, every
 * message goes on as before (a follow-up); within a day of an answer, chatter goes on the answered ticket
 * (recorded as a thanks, never reopening it), and so does any message while a survey invitation awaits this
 * contact's answer: a quick answer ("4") may come days after the invitation, and must not be held as chatter.
 */
export function openingConversations(sink: ComplaintSink, deps: ConversationOpenerDeps): ComplaintSink {
  return {
    async submit(candidate, origin): Promise<SubmitResult> {
      const checked = validateComplaint(candidate);
      // Invalid records, records without a thread and staff answers take the usual way (and its quarantine).
      const { meta } = checked.ok ? checked.complaint : { meta: {} as Record<string, string> };
      if (!checked.ok || !checked.complaint.threadId || meta.inboxAnswer || meta.changeOf)
        return sink.submit(candidate, origin);
      const complaint = checked.complaint;
      const { store } = deps;
      if (await store.isChatMessageHeld(complaint.channel, complaint.sourceId)) return { status: 'duplicate' };
      const latest = await store.findByMessageRefs(complaint.channel, [threadRef(complaint.threadId!)]);
      if (latest && latest.status !== 'resolved') return sink.submit(candidate, origin);
      // "Terima kasih" or a 👍 soon after an answer belongs on that ticket (recorded, never reopening it).
      const justAnswered = latest !== undefined && Date.now() - lastActivity(latest) < DAY_MS;
      if (complaint.meta.chatter && justAnswered) return sink.submit(candidate, origin);
      // "4", "3 ya", a 👍 or "berhenti" days after a survey invitation answers it: on that ticket, never held.
      if (latest && (await answersSurvey(deps, latest, complaint))) return sink.submit(candidate, origin);
      if (complaint.meta.chatter) {
        const held = await store.holdChatMessage({
          channel: complaint.channel,
          sourceId: complaint.sourceId,
          threadId: complaint.threadId!,
          receivedAt: complaint.receivedAt,
          payload: JSON.stringify(complaint),
        });
        if (!held) return { status: 'duplicate' };
        if (complaint.autoReplyAllowed && !complaint.meta.standby) await promptOnce(complaint, deps);
        // Durably kept: for the channel's cursor this is as good as queued.
        return { status: 'queued' };
      }
      const held = await store.heldChatMessages(complaint.channel, complaint.threadId!);
      const { kept, dropped } = keptForTicket(held, complaint.receivedAt);
      if (dropped > 0)
        deps.log.info({ channel: complaint.channel, dropped, kept: kept.length }, 'old or surplus held chat left out');
      if (kept.length === 0 && dropped === 0) return sink.submit(candidate, origin);
      const result = await sink.submit(
        kept.length
          ? joined(
              kept.map((h) => JSON.parse(h.payload) as ComplaintInput),
              complaint,
              dropped,
            )
          : { ...complaint, meta: { ...complaint.meta, ...droppedNote(dropped) } },
        origin,
      );
      if (result.status !== 'quarantined')
        await store.markHeldChatMerged(complaint.channel, complaint.threadId!, complaint.sourceId);
      return result;
    },
  };
}

const DAY_MS = 24 * 3_600_000;

function answersSurvey(deps: ConversationOpenerDeps, ticket: Ticket, complaint: ComplaintInput): Promise<boolean> {
  if (deps.surveyLinkValidDays === undefined) return Promise.resolve(false);
  return answersOpenInvitation(deps.store, deps.surveyLinkValidDays, ticket, complaint);
}

function lastActivity(ticket: Ticket): number {
  return Math.max(...ticket.history.map((h) => Date.parse(h.at)).filter((t) => !Number.isNaN(t)), 0);
}

/**
 * The held messages that go on the ticket: none older than HELD_MESSAGE_MAX_AGE_MS before the content
 * message, at most the MAX_HELD_MESSAGES latest. The rest stays out (still marked merged, never re-read).
 */
export function keptForTicket<T extends { receivedAt: string }>(
  held: T[],
  contentAt: string,
): { kept: T[]; dropped: number } {
  const since = (Date.parse(contentAt) || Date.now()) - HELD_MESSAGE_MAX_AGE_MS;
  const recent = held.filter((h) => !(Date.parse(h.receivedAt) < since));
  const kept = recent.slice(-MAX_HELD_MESSAGES);
  return { kept, dropped: held.length - kept.length };
}

function droppedNote(dropped: number): Record<string, string> {
  return dropped > 0
    ? {
        heldDropped: `${dropped} pesan pembuka sebelumnya (lebih dari 7 hari atau melebihi ${MAX_HELD_MESSAGES} pesan) tidak disertakan`,
      }
    : {};
}

/** The conversation so far as one complaint: the content message's id, the first kept message's time. */
function joined(earlier: ComplaintInput[], content: ComplaintInput, dropped: number): ComplaintInputDraft {
  const lines = [...earlier, content].map((m) => m.text.trim()).filter((t) => t !== '');
  const attachments = [...earlier.flatMap((m) => m.attachments), ...content.attachments].slice(0, 100);
  return {
    ...content,
    receivedAt: earlier[0]!.receivedAt,
    text: lines.join('\n').slice(0, 200_000),
    attachments,
    meta: {
      ...content.meta,
      heldMessages: earlier
        .map((m) => m.sourceId)
        .join(' ')
        .slice(0, 2000),
      firstMessageAt: earlier[0]!.receivedAt,
      ...droppedNote(dropped),
    },
  };
}

/** The prompt as an effect record of its own (conversation + office day): sent once across retries and crashes. */
async function promptOnce(complaint: ComplaintInput, deps: ConversationOpenerDeps): Promise<void> {
  const { store, log } = deps;
  const transport = deps.transports[complaint.channel];
  const recipient = complaint.complainant.platformUserId ?? complaint.complainant.phone;
  if (!transport || !recipient) return;
  const day = officeDate(new Date().toISOString(), deps.timeZone);
  const thread = createHash('sha256').update(`${complaint.channel}:${complaint.threadId}`).digest('hex').slice(0, 16);
  const key = `chat-${thread}:prompt-${day}`;
  const state = await store.beginEffect(key, `chat-${thread}`, 'chat-prompt', PROMPT_LEASE_MS);
  if (state === 'done' || state === 'busy') return;
  const progress: DeliveryProgress = {
    sent: async (part) => (await store.getEffect(`${key}/${part}`))?.state === 'done',
    record: async (part, detail) => {
      await store.beginEffect(`${key}/${part}`, `chat-${thread}`, `chat-prompt/${part}`, PROMPT_LEASE_MS);
      await store.completeEffect(`${key}/${part}`, detail);
    },
    note: () => undefined,
  };
  try {
    const detail = await transport.deliver(
      {
        id: `chat-${thread}.prompt-${day}`,
        purpose: 'acknowledgement',
        channel: complaint.channel,
        to: [recipient],
        subject: 'Silakan tuliskan pengaduan Anda',
        text: CHAT_PROMPT,
      },
      progress,
    );
    await store.completeEffect(key, detail);
  } catch (error) {
    if (error instanceof NotSentError) return void (await store.completeEffect(key, `not sent: ${error.reason}`));
    await store.releaseEffect(key);
    // The message itself is kept; a prompt that failed is tried again with the conversation's next message.
    log.warn({ err: error, channel: complaint.channel }, 'chat prompt not sent');
  }
}
