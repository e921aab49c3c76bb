import type { Logger } from '../../lib/logger';
import { NotSentError, type OutgoingMessage, type Transport } from '../../outbound/message';
import { PermanentError } from '../../lib/errors';
import { INSTAGRAM_READABLE_MESSAGES, type MetaAccount } from './accounts';
import type { GraphClient } from './graph-client';
import { graphErrorOf } from './graph-errors';
import type { GraphConversation, GraphList, GraphMessage, SendApiResponse } from './graph-types';
import { decideReply, splitMessageText } from './messaging-window';
import type { InboundClock } from './inbound-clock';
import { graphTimeToIso } from './normalize';
import { prepareAttachments, uploadForm, type PreparedAttachment } from './outgoing-attachments';
import type { DeliveryProgress } from '../../outbound/delivery-progress';
import { describeUnsentAttachments } from '../../domain/coordination-messages';
import { ticketNumberOfCitizenMailId } from '../../domain/office-mail-ids';

/** Our replies among this many newest messages are recognised when a send is repeated. */
const HISTORY_MESSAGES = 50;

/** Progress part recorded before the first Send API call of an effect: a later attempt is a repeat. */
const ATTEMPT_PART = 'attempt';

export interface MetaReplyDeps {
  account: MetaAccount;
  /** Conversation reads (the account's read budget). */
  client: GraphClient;
  /** Send API calls, on their own budget; defaults to `client`. */
  sender?: GraphClient;
  /** When each citizen last wrote, as the intakes took it in: the window without a Graph read. */
  inbound?: InboundClock;
  humanAgentTagApproved: boolean;
  log: Logger;
  now?: () => number;
}

interface ConversationState {
  lastInboundAt: string | undefined;
  /** Texts the Page already sent in this conversation (trimmed). */
  ownTexts: Set<string>;
}

/**
 * Answers a citizen on Messenger or Instagram through the Send API (POST /{page-id}/messages). The
 * citizen's last message decides the 24-hour window (outside it, nothing is sent and the effect is
 * recorded as not sent): taken from what the intakes already stored, read from the conversation only
 * when unknown. A repeated effect (an earlier attempt started: a crash, a failure) reads the
 * conversation, so a text the Page already sent is not sent twice (the Send API has no idempotency key);
 * a first attempt makes the Send API call alone.
 * Files follow the text, one multipart upload each; each is recorded in `progress` once sent, so a
 * retry after a partial send uploads only the rest. A file the channel cannot carry is named in the text.
 */
export class MetaReplyTransport implements Transport {
  constructor(private readonly deps: MetaReplyDeps) {}

  async deliver(message: OutgoingMessage, progress?: DeliveryProgress): Promise<string> {
    const { account, client, log } = this.deps;
    const recipient = message.to[0];
    if (!recipient || message.to.length !== 1)
      throw new PermanentError(`${account.channel} reply needs exactly one recipient id`);
    const { files, unsent } = await prepareAttachments(message.attachments ?? [], account);
    const ticketNumber = ticketNumberOfCitizenMailId(message.id);
    const text = unsent.length
      ? `${message.text}\n\n${describeUnsentAttachments(ticketNumber, unsent, account.label)}`
      : message.text;
    const state = await this.knownState(recipient, progress);
    const parts = splitMessageText(text, account.channel);
    if (parts.length === 0) throw new PermanentError(`${message.id} has no text to send`);
    const missing = parts.filter((part) => !state.ownTexts.has(part.trim()));
    const pendingFiles: PreparedAttachment[] = [];
    for (const file of files) if (!(await progress?.sent(file.part))) pendingFiles.push(file);
    const unsentNote = unsent.length ? `; announced instead of sent: ${unsent.map((f) => f.name).join(', ')}` : '';
    if (unsent.length) {
      log.warn({ id: message.id, unsent }, 'files the channel cannot carry are named in the text');
      const listed = unsent.map((f) => `${f.name} (${f.reason})`).join(', ');
      progress?.note(`lampiran tidak dapat dikirim lewat ${account.label} dan disebutkan dalam pesan: ${listed}`);
    }
    if (missing.length === 0 && pendingFiles.length === 0) {
      return `${account.channel}: already in the conversation (sent by an earlier attempt)${unsentNote}`;
    }
    const decision = decideReply({
      lastInboundAt: state.lastInboundAt,
      now: (this.deps.now ?? Date.now)(),
      humanWritten: message.purpose === 'solution',
      humanAgentTagApproved: this.deps.humanAgentTagApproved,
      channelLabel: account.label,
    });
    if (!decision.send) throw new NotSentError(decision.reason);
    const window = {
      messaging_type: decision.messagingType,
      ...(decision.messagingType === 'MESSAGE_TAG' ? { tag: decision.tag } : {}),
    };

    const sender = this.deps.sender ?? client;
    const sent: string[] = [];
    for (const part of missing) {
      const body = { recipient: { id: recipient }, ...window, message: { text: part } };
      const path = `${account.pageId}/messages`;
      const response = await this.send(message.id, () => sender.post<SendApiResponse>(path, body));
      sent.push(response.message_id ?? '?');
    }
    for (const file of pendingFiles) {
      const form = await uploadForm(recipient, window, file);
      const path = `${account.pageId}/messages`;
      const outcome = await this.send(message.id, () => sender.postForm<SendApiResponse>(path, form)).catch(
        refusedUpload,
      );
      if ('refused' in outcome) {
        // Meta refused this file (its checks are stricter than ours, e.g. a damaged image): the rest still go.
        log.warn(
          { id: message.id, file: file.name, code: outcome.code },
          'Send API refused an attachment; not retried',
        );
        sent.push(`${file.name} refused`);
        progress?.note(
          `lampiran ${file.name} ditolak Meta (${outcome.refused}); mohon kirimkan kepada pelapor dengan cara lain`,
        );
        await progress?.record(
          file.part,
          `${account.channel}: ${file.name} refused by the Send API: ${outcome.refused}`,
        );
        continue;
      }
      const id = outcome.message_id ?? '?';
      sent.push(`${file.name} ${id}`);
      await progress?.record(file.part, `${account.channel}: ${file.name} sent as ${file.type} ${id}`);
    }
    const repeated = parts.length - missing.length + files.length - pendingFiles.length;
    const repeatNote = repeated ? ` (${repeated} part(s) already in the conversation)` : '';
    const how = decision.messagingType === 'RESPONSE' ? 'sent' : 'sent with HUMAN_AGENT tag';
    return `${account.channel}: ${how} ${sent.join(', ')}${repeatNote}${unsentNote}`;
  }

  /** One Send API call; a refusal that means "cannot reach this person this way" is recorded, not retried. */
  private async send(id: string, call: () => Promise<SendApiResponse>): Promise<SendApiResponse> {
    try {
      return await call();
    } catch (error) {
      const refusal = refusalReason(error, this.deps.account.label);
      if (!refusal) throw error;
      this.deps.log.info({ id, code: graphErrorOf(error)?.code }, 'Send API refused the reply; recorded as not sent');
      throw new NotSentError(refusal);
    }
  }

  /**
   * The window and what the Page already sent. A first attempt (marked in `progress` before it sends)
   * whose citizen the intakes noted needs no Graph read; a repeat, or an unknown citizen, reads the conversation.
   */
  private async knownState(recipient: string, progress: DeliveryProgress | undefined): Promise<ConversationState> {
    const noted = this.deps.inbound?.lastInboundAt(this.deps.account.channel, recipient);
    const repeated = progress ? await progress.sent(ATTEMPT_PART) : true;
    if (progress && !repeated) await progress.record(ATTEMPT_PART, 'first attempt started');
    if (noted && !repeated) return { lastInboundAt: noted, ownTexts: new Set() };
    const read = await this.conversationState(recipient);
    const later = [noted, read.lastInboundAt]
      .filter((t): t is string => t !== undefined)
      .sort()
      .pop();
    return { ...read, lastInboundAt: later };
  }

  private async conversationState(recipient: string): Promise<ConversationState> {
    const { account, client } = this.deps;
    const state: ConversationState = { lastInboundAt: undefined, ownTexts: new Set() };
    const found = await client.get<GraphList<GraphConversation>>(`${account.pageId}/conversations`, {
      platform: account.channel,
      user_id: recipient,
      fields: 'id',
    });
    const conversation = found.data?.[0];
    if (!conversation) return state;
    const maxItems = account.channel === 'instagram' ? INSTAGRAM_READABLE_MESSAGES : HISTORY_MESSAGES;
    for await (const m of client.paginate<GraphMessage>(
      `${conversation.id}/messages`,
      { fields: 'id,created_time,from,message', limit: maxItems },
      { maxItems },
    )) {
      if (m.from?.id === recipient) state.lastInboundAt ??= graphTimeToIso(m.created_time);
      else if (m.from?.id === account.ownId && m.message) state.ownTexts.add(m.message.trim());
    }
    return state;
  }
}

/** An upload Meta refused as an invalid request (code 100, e.g. "Upload attachment failure"); anything else is thrown. */
function refusedUpload(error: unknown): { refused: string; code: number | undefined } {
  const graph = graphErrorOf(error);
  if (graph?.kind !== 'invalid') throw error;
  return { refused: (error as Error).message.slice(0, 200), code: graph.code };
}

/** Refusals that mean "cannot reach this person this way", not failures worth retrying. */
function refusalReason(error: unknown, label: string): string | undefined {
  switch (graphErrorOf(error)?.kind) {
    case 'outside-window':
      return `Meta menolak balasan karena di luar jendela 24 jam ${label}; balasan dapat dikirim lagi setelah pelapor menulis pesan baru`;
    case 'unreachable':
      return `pelapor tidak dapat dihubungi lewat ${label} (memblokir halaman, menonaktifkan akun, atau tidak tersedia); mohon hubungi pelapor dengan cara lain`;
    default:
      return undefined;
  }
}
