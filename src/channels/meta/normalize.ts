import type { Attachment, ComplaintInputDraft } from '../../domain/complaint';
import type { GraphAttachment, GraphMessage, WebhookMessagingEvent, WebhookPayload } from './graph-types';

/**
 * Pure translation of Graph payloads (polled messages and webhook events) into the complaint record.
 * Both paths produce the same sourceId (the message id, `mid`) and the same threadId (our account +
 * the citizen's scoped id), so the store recognises a message seen twice and threads a conversation
 * whichever way each message arrived.
 */

export type MetaChannel = 'messenger' | 'instagram';

/** One of our two Graph accounts as the normalizers need it. */
export interface AccountRef {
  channel: MetaChannel;
  /** The Page id (Messenger) or the Instagram professional account id: the author of our own messages. */
  ownId: string;
}

export type Normalized = { kind: 'complaint'; complaint: ComplaintInputDraft } | { kind: 'ignored'; reason: string };

const NOT_DOWNLOADED = 'tidak diunduh: berkas tersimpan di Meta, lihat percakapan di Meta Business Suite';
const UNSUPPORTED_TEXT = '(jenis pesan ini tidak dapat dibaca lewat API Meta; lihat percakapan di Meta Business Suite)';

/** Graph datetimes look like 2026-08-01T10:00:00+0000; the complaint record wants ISO 8601. */
export function graphTimeToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function conversationThreadId(ownId: string, citizenId: string): string {
  return `${ownId}:${citizenId}`;
}

/** A message read from `/{conversation-id}/messages`. */
export function normalizePolledMessage(message: GraphMessage, account: AccountRef, conversationId: string): Normalized {
  const from = message.from;
  if (!from?.id) return { kind: 'ignored', reason: 'no sender' };
  if (from.id === account.ownId) return { kind: 'ignored', reason: 'our own message' };
  const receivedAt = graphTimeToIso(message.created_time);
  if (!receivedAt) return { kind: 'ignored', reason: 'no valid created_time' };
  const attachments = [
    ...(message.attachments?.data ?? []).map(polledAttachment),
    ...(message.sticker ? [metadataOnly('stiker', 'image/*')] : []),
    ...(message.shares?.data ?? []).map((share, i) => metadataOnly(share.name?.slice(0, 200) || `tautan-${i + 1}`, 'text/uri-list')),
  ];
  const text = message.message ?? (message.is_unsupported ? UNSUPPORTED_TEXT : '');
  if (text.trim() === '' && attachments.length === 0) return { kind: 'ignored', reason: 'nothing to read (empty message)' };
  return {
    kind: 'complaint',
    complaint: {
      channel: account.channel,
      sourceId: message.id,
      threadId: conversationThreadId(account.ownId, from.id),
      receivedAt,
      complainant: complainantOf(account.channel, from.id, from.name, from.username),
      text,
      attachments,
      meta: { accountId: account.ownId, conversationId, via: 'polling' },
    },
  };
}

/** One `entry[].messaging[]` event of a webhook notification. */
export function normalizeWebhookEvent(event: WebhookMessagingEvent, account: AccountRef): Normalized {
  const message = event.message;
  if (!message) return { kind: 'ignored', reason: 'not a message event (delivery, read, reaction, postback)' };
  if (!message.mid) return { kind: 'ignored', reason: 'message without mid' };
  const senderId = event.sender?.id;
  if (message.is_echo || senderId === account.ownId) return { kind: 'ignored', reason: 'echo of our own message' };
  if (!senderId) return { kind: 'ignored', reason: 'no sender' };
  if (message.is_deleted) return { kind: 'ignored', reason: 'deleted by the sender' };
  if (typeof event.timestamp !== 'number') return { kind: 'ignored', reason: 'no timestamp' };
  const attachments = (message.attachments ?? []).map((a, i) => metadataOnly(`${a.type ?? 'lampiran'}-${i + 1}`, contentTypeOfWebhookType(a.type)));
  const text = message.text ?? (message.is_unsupported ? UNSUPPORTED_TEXT : '');
  if (text.trim() === '' && attachments.length === 0) return { kind: 'ignored', reason: 'nothing to read (empty message)' };
  return {
    kind: 'complaint',
    complaint: {
      channel: account.channel,
      sourceId: message.mid,
      threadId: conversationThreadId(account.ownId, senderId),
      receivedAt: new Date(event.timestamp).toISOString(),
      complainant: complainantOf(account.channel, senderId),
      text,
      attachments,
      meta: { accountId: account.ownId, via: 'webhook' },
    },
  };
}

/**
 * Every message event of a notification, routed by `object` and `entry[].id` to one of our accounts;
 * entries for accounts we do not read are ignored.
 */
export function normalizeWebhookPayload(payload: WebhookPayload, accounts: AccountRef[]): Normalized[] {
  const channel = payload.object === 'page' ? 'messenger' : payload.object === 'instagram' ? 'instagram' : undefined;
  if (!channel) return [{ kind: 'ignored', reason: `object "${String(payload.object)}" is not read` }];
  return (payload.entry ?? []).flatMap((entry): Normalized[] => {
    const account = accounts.find((a) => a.channel === channel && a.ownId === entry.id);
    if (!account) return [{ kind: 'ignored', reason: `no ${channel} account ${String(entry.id)} configured` }];
    // `standby` carries events while another app owns the thread (handover protocol): still citizens' messages.
    return [...(entry.messaging ?? []), ...(entry.standby ?? [])].map((event) => normalizeWebhookEvent(event, account));
  });
}

function complainantOf(channel: MetaChannel, id: string, name?: string, username?: string): ComplaintInputDraft['complainant'] {
  // Messenger's `email` is <PSID>@facebook.com, not a mailbox: it is deliberately not kept.
  return {
    platformUserId: id,
    ...(channel === 'messenger' && name ? { name: name.slice(0, 200) } : {}),
    ...(channel === 'instagram' && username ? { platformUsername: username.slice(0, 200) } : {}),
  };
}

function polledAttachment(attachment: GraphAttachment, index: number): Attachment {
  const contentType = attachment.mime_type || (attachment.image_data ? 'image/*' : attachment.video_data ? 'video/*' : 'application/octet-stream');
  const filename = (attachment.name || `lampiran-${index + 1}`).slice(0, 255);
  return { ...metadataOnly(filename, contentType), size: Number.isInteger(attachment.size) && attachment.size! >= 0 ? attachment.size! : 0 };
}

/** Meta's CDN links are signed and expire: we keep what the file was, not a link to it. */
function metadataOnly(filename: string, contentType: string): Attachment {
  return { filename, contentType, size: 0, skippedReason: NOT_DOWNLOADED };
}

function contentTypeOfWebhookType(type: string | undefined): string {
  switch (type) {
    case 'image':
    case 'sticker':
      return 'image/*';
    case 'video':
    case 'reel':
    case 'ig_reel':
      return 'video/*';
    case 'audio':
      return 'audio/*';
    default:
      return 'application/octet-stream';
  }
}
