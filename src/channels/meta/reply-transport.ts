import type { Logger } from '../../lib/logger';
import { NotSentError, type OutgoingMessage, type Transport } from '../../outbound/message';
import { PermanentError } from '../../lib/errors';
import { INSTAGRAM_READABLE_MESSAGES, type MetaAccount } from './accounts';
import type { GraphClient } from './graph-client';
import { graphErrorOf } from './graph-errors';
import type { GraphConversation, GraphList, GraphMessage, SendApiResponse } from './graph-types';
import { decideReply, splitMessageText } from './messaging-window';
import { graphTimeToIso } from './normalize';

/** Our replies among this many newest messages are recognised when a send is repeated. */
const HISTORY_MESSAGES = 50;

export interface MetaReplyDeps {
  account: MetaAccount;
  client: GraphClient;
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
 * Answers a citizen on Messenger or Instagram through the Send API (POST /{page-id}/messages). It
 * reads the conversation first: the citizen's last message decides the 24-hour window (outside it,
 * nothing is sent and the effect is recorded as not sent), and a text the Page already sent is not
 * sent twice when an effect is repeated after a crash (the Send API has no idempotency key).
 */
export class MetaReplyTransport implements Transport {
  constructor(private readonly deps: MetaReplyDeps) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    const { account, client, log } = this.deps;
    const recipient = message.to[0];
    if (!recipient || message.to.length !== 1) throw new PermanentError(`${account.channel} reply needs exactly one recipient id`);
    const state = await this.conversationState(recipient);
    const parts = splitMessageText(message.text, account.channel);
    if (parts.length === 0) throw new PermanentError(`${message.id} has no text to send`);
    const missing = parts.filter((text) => !state.ownTexts.has(text.trim()));
    if (missing.length === 0) return `${account.channel}: already in the conversation (sent by an earlier attempt)`;
    const decision = decideReply({
      lastInboundAt: state.lastInboundAt,
      now: (this.deps.now ?? Date.now)(),
      humanWritten: message.purpose === 'solution',
      humanAgentTagApproved: this.deps.humanAgentTagApproved,
      channelLabel: account.label,
    });
    if (!decision.send) throw new NotSentError(decision.reason);

    const sent: string[] = [];
    for (const text of missing) {
      const body = {
        recipient: { id: recipient },
        messaging_type: decision.messagingType,
        ...(decision.messagingType === 'MESSAGE_TAG' ? { tag: decision.tag } : {}),
        message: { text },
      };
      try {
        const response = await client.post<SendApiResponse>(`${account.pageId}/messages`, body);
        sent.push(response.message_id ?? '?');
      } catch (error) {
        const refusal = refusalReason(error, account.label);
        if (!refusal) throw error;
        log.info({ id: message.id, code: graphErrorOf(error)?.code }, 'Send API refused the reply; recorded as not sent');
        throw new NotSentError(refusal);
      }
    }
    const repeated = parts.length - missing.length;
    const repeatNote = repeated ? ` (${repeated} part(s) already in the conversation)` : '';
    return `${account.channel}: ${decision.messagingType === 'RESPONSE' ? 'sent' : 'sent with HUMAN_AGENT tag'} ${sent.join(', ')}${repeatNote}`;
  }

  private async conversationState(recipient: string): Promise<ConversationState> {
    const { account, client } = this.deps;
    const state: ConversationState = { lastInboundAt: undefined, ownTexts: new Set() };
    const found = await client.get<GraphList<GraphConversation>>(`${account.pageId}/conversations`, { platform: account.channel, user_id: recipient, fields: 'id' });
    const conversation = found.data?.[0];
    if (!conversation) return state;
    const maxItems = account.channel === 'instagram' ? INSTAGRAM_READABLE_MESSAGES : HISTORY_MESSAGES;
    for await (const m of client.paginate<GraphMessage>(`${conversation.id}/messages`, { fields: 'id,created_time,from,message', limit: maxItems }, { maxItems })) {
      if (m.from?.id === recipient) state.lastInboundAt ??= graphTimeToIso(m.created_time);
      else if (m.from?.id === account.ownId && m.message) state.ownTexts.add(m.message.trim());
    }
    return state;
  }
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
