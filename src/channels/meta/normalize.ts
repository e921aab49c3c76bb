import { cleanName } from '../../domain/attachment-name';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';
import { hasChatContent } from '../../domain/chat-content';
import { hasVisibleText, type Attachment, type ComplaintInputDraft } from '../../domain/complaint';
import type { PendingDownload } from './attachment-download';
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

/** `malformed`: the payload does not have the documented shape (as opposed to an event we do not read). */
export type Normalized =
  | {
      kind: 'complaint';
      complaint: ComplaintInputDraft;
      /** Files to download (Meta's links expire) before the complaint is submitted. */
      downloads?: PendingDownload[];
    }
  | { kind: 'ignored'; reason: string; malformed?: true };

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
    ...(message.shares?.data ?? []).map((share, i) =>
      metadataOnly(cleanName(share.name?.slice(0, 1000)) || `tautan-${i + 1}`, 'text/uri-list'),
    ),
  ];
  const text = sanitizeText(message.message ?? (message.is_unsupported ? UNSUPPORTED_TEXT : ''));
  if (text.trim() === '' && attachments.length === 0)
    return { kind: 'ignored', reason: 'nothing to read (empty message)' };
  const downloads = (message.attachments?.data ?? []).flatMap((a, index): PendingDownload[] => {
    const url = a.file_url ?? a.image_data?.url ?? a.video_data?.url;
    return typeof url === 'string' ? [{ index, url }] : [];
  });
  const chatter = chatterOf(
    text,
    [...(message.attachments?.data?.length ? ['file'] : []), ...(message.shares?.data?.length ? ['share'] : [])],
    Boolean(message.sticker),
    false,
  );
  return {
    kind: 'complaint',
    ...(downloads.length ? { downloads } : {}),
    complaint: {
      channel: account.channel,
      sourceId: message.id,
      threadId: conversationThreadId(account.ownId, from.id),
      receivedAt,
      complainant: complainantOf(account.channel, from.id, from.name, from.username),
      text,
      attachments,
      meta: { accountId: account.ownId, conversationId, via: 'polling', ...(chatter ? { chatter } : {}) },
    },
  };
}

/** `meta.inboxAnswer` of an echo from an app not in `inboxAppIds` (pipeline/inbox-answer OTHER_APP_ANSWER). */
const OTHER_APP = 'other-app';

/** What the event's surroundings tell: our app's id (to know our own echoes) and whether it came on `standby`. */
export interface WebhookContext {
  /** Our Meta app's id; empty: every echo counts as our own. */
  appId?: string;
  /** Apps whose echoes are staff answers (the Page inbox); empty: any app other than ours. */
  inboxAppIds?: readonly string[];
  /** The event came under `entry[].standby`: another app owns the thread (handover protocol). */
  standby?: boolean;
}

/** Attachment types that carry what the citizen wants to show (a photo of a document, a voice note). */
const CONTENT_ATTACHMENTS = new Set(['image', 'video', 'audio', 'file']);

/** Why a message has nothing to classify (it opens or keeps up the conversation), in the record's meta. */
type Chatter = 'greeting' | 'sticker' | 'story-mention' | 'menu' | 'postback' | 'share';

const STANDBY_NOTE =
  'percakapan sedang ditangani aplikasi lain di kotak masuk Page (handover/standby); tidak ada pesan otomatis dari layanan ini';

/**
 * One `entry[].messaging[]` (or `standby[]`) event of a webhook notification. Meta sends events within
 * seconds, so an event without a usable `timestamp` counts from `now` (the time the notification arrived).
 * A citizen's message, a "Get Started" or menu postback, and an echo typed by staff in the Page inbox (an
 * echo whose `app_id` is not ours) are taken in; our own echoes, deliveries, reads and reactions are not.
 */
export function normalizeWebhookEvent(
  event: WebhookMessagingEvent,
  account: AccountRef,
  now: Date = new Date(),
  context: WebhookContext = {},
): Normalized {
  const senderId = isObject(event.sender) ? event.sender.id : undefined;
  const sent =
    typeof event.timestamp === 'number' && Math.abs(event.timestamp) <= MAX_DATE_MS
      ? new Date(event.timestamp)
      : undefined;
  const base = (citizenId: string) => ({
    channel: account.channel,
    threadId: conversationThreadId(account.ownId, citizenId),
    receivedAt: (sent ?? now).toISOString(),
    complainant: complainantOf(account.channel, citizenId),
    // Another app owns the thread: it answers; we send nothing automatic.
    ...(context.standby ? { autoReplyAllowed: false } : {}),
  });
  const meta = (extra: Record<string, string>): Record<string, string> => ({
    accountId: account.ownId,
    via: 'webhook',
    ...(sent
      ? {}
      : {
          timestampMissing: `timestamp ${JSON.stringify(event.timestamp ?? null).slice(0, 60)} tidak terbaca; dipakai waktu notifikasi diterima`,
        }),
    ...(context.standby ? { standby: 'true', autoReplyBlocked: STANDBY_NOTE } : {}),
    ...extra,
  });

  if (isObject(event.postback)) return normalizePostback(event.postback, senderId, account, base, meta);
  if (isObject(event.message_edit)) return normalizeEdit(event.message_edit, senderId, account, base, meta);
  const message = event.message;
  if (!isObject(message))
    return { kind: 'ignored', reason: 'not a message event (delivery, read, reaction, referral)' };
  if (!message.mid) return { kind: 'ignored', reason: 'message without mid', malformed: true };
  if (message.is_echo || senderId === account.ownId) {
    const appId = message.app_id === undefined || message.app_id === null ? '' : String(message.app_id);
    const recipientId = isObject(event.recipient) ? event.recipient.id : undefined;
    if (!context.appId || !appId || appId === context.appId || !recipientId || recipientId === account.ownId)
      return { kind: 'ignored', reason: 'echo of our own message' };
    // Only the Page sends echoes: anything else claiming to be one never speaks for the office.
    if (senderId !== account.ownId) return { kind: 'ignored', reason: 'echo not sent by the Page', malformed: true };
    const text = sanitizeText(typeof message.text === 'string' ? message.text : '');
    if (!hasVisibleText(text)) return { kind: 'ignored', reason: 'inbox answer without text' };
    // An instant or away reply, a bot: recorded as a note on the ticket, never an answer that resolves it.
    const listed = !context.inboxAppIds?.length || context.inboxAppIds.includes(appId);
    // Typed by staff in Meta Business Suite or the Instagram app: an answer, never relayed or auto-answered.
    return {
      kind: 'complaint',
      complaint: {
        ...base(recipientId),
        sourceId: message.mid,
        text,
        autoReplyAllowed: false,
        meta: meta({ inboxAnswer: listed ? 'page-inbox' : OTHER_APP, inboxAppId: appId.slice(0, 40) }),
      },
    };
  }
  if (!senderId) return { kind: 'ignored', reason: 'no sender', malformed: true };
  // Unsent by the citizen: the ticket marks the message withdrawn (the text is gone from Meta too).
  if (message.is_deleted)
    return {
      kind: 'complaint',
      complaint: {
        ...base(senderId),
        sourceId: `${message.mid}#unsend`,
        text: '(pesan ditarik oleh warga)',
        autoReplyAllowed: false,
        meta: meta({ change: 'unsend', changeOf: message.mid }),
      },
    };
  const list = Array.isArray(message.attachments) ? message.attachments : [];
  const types = list.map((a) => (isObject(a) && typeof a.type === 'string' ? a.type.slice(0, 40) : undefined));
  const sticker = list.some(
    (a, i) => types[i] === 'sticker' || (isObject(a) && isObject(a.payload) && a.payload.sticker_id !== undefined),
  );
  const attachments = sticker
    ? [metadataOnly('stiker', 'image/*')]
    : types.map((type, i) => metadataOnly(`${type ?? 'lampiran'}-${i + 1}`, contentTypeOfWebhookType(type)));
  // A text that is not a string (a forged or broken payload) is kept as its JSON, for staff to see.
  const text = sanitizeText(
    typeof message.text === 'string'
      ? message.text
      : message.text !== undefined && message.text !== null
        ? JSON.stringify(message.text)
        : message.is_unsupported
          ? UNSUPPORTED_TEXT
          : '',
  );
  // Messenger and Instagram do not send empty messages: one is a broken or forged event.
  if (!hasVisibleText(text) && attachments.length === 0)
    return { kind: 'ignored', reason: 'nothing to read (empty message)', malformed: true };
  const chatter = chatterOf(text, types, sticker, isObject(message.quick_reply));
  const downloads = sticker
    ? []
    : list.flatMap((a, index): PendingDownload[] => {
        const url = isObject(a) && isObject(a.payload) ? a.payload.url : undefined;
        return CONTENT_ATTACHMENTS.has(types[index] ?? '') && typeof url === 'string' ? [{ index, url }] : [];
      });
  return {
    kind: 'complaint',
    ...(downloads.length ? { downloads } : {}),
    complaint: {
      ...base(senderId),
      sourceId: message.mid,
      text,
      attachments,
      meta: meta(chatter ? { chatter } : {}),
    },
  };
}

/**
 * `message_edit` (the citizen corrected a message): the new text, kept beside the original on its ticket.
 * `num_edit: 0` is not an edit (Instagram announces some new messages that way; polling takes them in).
 */
function normalizeEdit(
  change: Record<string, unknown>,
  senderId: string | undefined,
  account: AccountRef,
  base: (citizenId: string) => Omit<ComplaintInputDraft, 'sourceId' | 'text'>,
  meta: (extra: Record<string, string>) => Record<string, string>,
): Normalized {
  const mid = typeof change.mid === 'string' ? change.mid : undefined;
  const count = typeof change.num_edit === 'number' && Number.isInteger(change.num_edit) ? change.num_edit : undefined;
  if (!mid || count === undefined)
    return { kind: 'ignored', reason: 'message_edit without mid or num_edit', malformed: true };
  if (count === 0) return { kind: 'ignored', reason: 'message_edit 0 (a new message; polling takes it in)' };
  const text = sanitizeText(typeof change.text === 'string' ? change.text : '');
  if (!hasVisibleText(text)) return { kind: 'ignored', reason: 'message_edit without text' };
  // Instagram may leave the sender out: the original message alone names the ticket.
  const { threadId, ...withoutThread } = base(senderId ?? '');
  const record =
    senderId && senderId !== account.ownId ? { ...withoutThread, threadId } : { ...withoutThread, complainant: {} };
  return {
    kind: 'complaint',
    complaint: {
      ...record,
      sourceId: `${mid}#edit-${count}`,
      text,
      autoReplyAllowed: false,
      meta: meta({ change: 'edit', changeOf: mid, editNumber: String(count) }),
    },
  };
}

/** A menu tap or "Get Started" (`postback`): kept like a message with nothing to classify. */
function normalizePostback(
  postback: Record<string, unknown>,
  senderId: string | undefined,
  account: AccountRef,
  base: (citizenId: string) => Omit<ComplaintInputDraft, 'sourceId' | 'text'>,
  meta: (extra: Record<string, string>) => Record<string, string>,
): Normalized {
  if (!senderId || senderId === account.ownId) return { kind: 'ignored', reason: 'postback without a citizen' };
  const title = typeof postback.title === 'string' ? sanitizeLine(postback.title, 200) : '';
  const mid = typeof postback.mid === 'string' ? postback.mid : undefined;
  const record = base(senderId);
  // Messenger gives postbacks a mid; without one, sender and time name the tap.
  const sourceId = mid ?? `postback:${senderId}:${Date.parse(record.receivedAt)}`;
  return {
    kind: 'complaint',
    complaint: {
      ...record,
      sourceId,
      text: title ? `[menu] ${title}` : '[menu]',
      meta: meta({ chatter: 'postback' }),
    },
  };
}

/** Why a message has nothing to classify, or undefined when it does (text with content, a photo, a voice note). */
export function chatterOf(
  text: string,
  types: Array<string | undefined>,
  sticker: boolean,
  menuTap: boolean,
): Chatter | undefined {
  if (menuTap) return 'menu';
  if (sticker) return hasChatContent(text) ? undefined : 'sticker';
  if (types.some((t) => t !== undefined && CONTENT_ATTACHMENTS.has(t))) return undefined;
  if (types.includes('story_mention')) return hasChatContent(text) ? undefined : 'story-mention';
  if (hasChatContent(text)) return undefined;
  return types.length ? 'share' : 'greeting';
}

/**
 * Every message event of a notification, routed by `object` and `entry[].id` to one of our accounts;
 * entries for accounts we do not read are ignored. Any JSON is accepted: parts that do not have the
 * documented shape are `malformed` (with the reason), never an exception that loses the other events.
 */
export function normalizeWebhookPayload(
  payload: WebhookPayload | unknown,
  accounts: AccountRef[],
  now: Date = new Date(),
  appId = '',
  inboxAppIds: readonly string[] = [],
): Normalized[] {
  if (!isObject(payload))
    return [{ kind: 'ignored', reason: `payload is ${describe(payload)}, not an object`, malformed: true }];
  const body = payload as WebhookPayload;
  const channel = body.object === 'page' ? 'messenger' : body.object === 'instagram' ? 'instagram' : undefined;
  if (!channel)
    return [
      {
        kind: 'ignored',
        reason: `object "${String(body.object).slice(0, 60)}" is not read`,
        ...(body.object === undefined ? { malformed: true as const } : {}),
      },
    ];
  if (!Array.isArray(body.entry))
    return [{ kind: 'ignored', reason: `entry is ${describe(body.entry)}, not a list`, malformed: true }];
  return body.entry.flatMap((entry): Normalized[] => {
    if (!isObject(entry))
      return [{ kind: 'ignored', reason: `an entry is ${describe(entry)}, not an object`, malformed: true }];
    const account = accounts.find((a) => a.channel === channel && a.ownId === entry.id);
    if (!account)
      return [{ kind: 'ignored', reason: `no ${channel} account ${String(entry.id).slice(0, 60)} configured` }];
    // `standby` carries events while another app owns the thread (handover protocol): still citizens' messages.
    const lists = [
      ['messaging', entry.messaging],
      ['standby', entry.standby],
    ] as const;
    return lists.flatMap(([name, list]): Normalized[] => {
      if (list === undefined) return [];
      if (!Array.isArray(list))
        return [{ kind: 'ignored', reason: `entry.${name} is ${describe(list)}, not a list`, malformed: true }];
      return list.map((event): Normalized =>
        isObject(event)
          ? normalizeWebhookEvent(event, account, now, { appId, inboxAppIds, standby: name === 'standby' })
          : { kind: 'ignored', reason: `an event is ${describe(event)}, not an object`, malformed: true },
      );
    });
  });
}

/** Largest time a JavaScript Date holds (±8.64e15 ms); a bigger `timestamp` would throw. */
const MAX_DATE_MS = 8.64e15;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'missing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function complainantOf(
  channel: MetaChannel,
  id: string,
  name?: string,
  username?: string,
): ComplaintInputDraft['complainant'] {
  // Messenger's `email` is <PSID>@facebook.com, not a mailbox: it is deliberately not kept.
  return {
    platformUserId: id,
    ...(channel === 'messenger' && name && sanitizeLine(name) ? { name: sanitizeLine(name, 200) } : {}),
    ...(channel === 'instagram' && username && sanitizeLine(username)
      ? { platformUsername: sanitizeLine(username, 200) }
      : {}),
  };
}

function polledAttachment(attachment: GraphAttachment, index: number): Attachment {
  const contentType =
    attachment.mime_type ||
    (attachment.image_data ? 'image/*' : attachment.video_data ? 'video/*' : 'application/octet-stream');
  const filename = cleanName(attachment.name?.slice(0, 1000)) || `lampiran-${index + 1}`;
  return {
    ...metadataOnly(filename, contentType),
    size: Number.isInteger(attachment.size) && attachment.size! >= 0 ? attachment.size! : 0,
  };
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
