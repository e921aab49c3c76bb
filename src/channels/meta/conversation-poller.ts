import { sleep } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { PoisonGuard } from '../poison-guard';
import type { Store } from '../../store/store';
import { INSTAGRAM_READABLE_MESSAGES, type MetaAccount } from './accounts';
import type { GraphClient } from './graph-client';
import type { GraphConversation, GraphMessage } from './graph-types';
import { keepAttachments, type AttachmentDownloadOptions } from './attachment-download';
import { graphTimeToIso, normalizePolledMessage } from './normalize';

const CONVERSATION_FIELDS = 'id,updated_time,message_count';
const MESSAGE_FIELDS =
  'id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data}';
/** How long the next message of a conversation waits for the previous one to become (part of) a ticket. */
const TAKE_IN_WAIT_MS = 5000;

export interface PollDeps {
  account: MetaAccount;
  client: GraphClient;
  store: Store;
  sink: ComplaintSink;
  log: Logger;
  pageSize: number;
  backfillHours: number;
  signal: AbortSignal;
  poison: PoisonGuard;
  /** Where and how a message's files are downloaded before it is submitted; absent: only described. */
  download?: AttachmentDownloadOptions;
}

/** Where one account's polling position is kept; all values are ISO times or JSON of `ConversationCursor`. */
function cursorKeys(account: MetaAccount) {
  const base = `meta:${account.channel}:${account.ownId}`;
  return {
    /** Nothing older than this is ever taken in: set on the very first pass (now − backfillHours). */
    floor: `${base}:floor`,
    /** `updated_time` of the newest conversation of the last complete pass. */
    watermark: `${base}:watermark`,
    conversation: (id: string) => `${base}:conversation:${id}`,
  };
}

interface ConversationCursor {
  lastId: string;
  lastTime: string;
  /** Set once every message up to `updatedTime` was handled: an unchanged conversation is not read again. */
  updatedTime?: string;
  messageCount?: number;
}

/**
 * One pass over an account: conversations newest first down to the watermark (the Conversations
 * API has no `since`), and in each changed conversation its messages newest first down to that
 * conversation's cursor; new messages are submitted oldest first. Every cursor moves only after
 * `sink.submit` resolved for the messages behind it, and the watermark only after a complete pass,
 * so an error or a stop in the middle loses nothing: the next pass goes over the same ground again
 * and the store recognises what was already submitted.
 */
export async function pollAccountOnce(deps: PollDeps): Promise<{ submitted: number }> {
  const { account, client, store, signal } = deps;
  const keys = cursorKeys(account);
  const floor = await ensureFloor(store, keys.floor, deps.backfillHours);
  const watermark = (await store.getCursor(keys.watermark)) || floor;
  let newest: string | undefined;
  let submitted = 0;
  const conversations = client.paginate<GraphConversation>(
    `${account.pageId}/conversations`,
    { platform: account.channel, fields: CONVERSATION_FIELDS, limit: deps.pageSize },
    { signal },
  );
  const future = latestPlausible();
  for await (const conversation of conversations) {
    const updated = graphTimeToIso(conversation.updated_time);
    if (!updated) continue;
    // A conversation Graph dates in the future (9999) stays first in every listing; as the watermark
    // it would end every later listing before the conversations that really changed.
    if (updated <= future) newest ??= updated;
    if (updated < watermark) break;
    submitted += await syncConversation(deps, conversation, updated, floor, keys.conversation(conversation.id));
    if (signal.aborted) return { submitted };
  }
  if (newest && newest > watermark) await store.setCursor(keys.watermark, newest);
  return { submitted };
}

async function syncConversation(
  deps: PollDeps,
  conversation: GraphConversation,
  updated: string,
  floor: string,
  key: string,
): Promise<number> {
  const { account, client, store, sink, log, signal } = deps;
  const saved = parseCursor(await store.getCursor(key));
  if (saved?.updatedTime === updated && saved.messageCount === conversation.message_count) return 0;
  const lowerBound = saved?.lastTime ?? floor;

  const fresh: GraphMessage[] = [];
  const maxItems = account.channel === 'instagram' ? INSTAGRAM_READABLE_MESSAGES : undefined;
  let reachedKnown = false;
  const messages = client.paginate<GraphMessage>(
    `${conversation.id}/messages`,
    { fields: MESSAGE_FIELDS, limit: deps.pageSize },
    { signal, ...(maxItems ? { maxItems } : {}) },
  );
  for await (const message of messages) {
    const created = graphTimeToIso(message.created_time);
    if (message.id === saved?.lastId || (created !== undefined && created < lowerBound)) {
      reachedKnown = true;
      break;
    }
    fresh.push(message);
  }
  if (!reachedKnown && maxItems !== undefined && fresh.length >= maxItems) {
    log.warn(
      { conversation: conversation.id, count: fresh.length },
      'more new Instagram messages than the API shows; older ones cannot be read',
    );
  }

  let cursor: ConversationCursor = saved ?? { lastId: '', lastTime: lowerBound };
  let submitted = 0;
  let previous: string | undefined;
  for (const message of fresh.reverse()) {
    if (signal.aborted) return submitted;
    const reading = await deps.poison.read(
      {
        scope: `meta:${account.channel}:${account.ownId}`,
        channel: account.channel,
        key: message.id,
        sourceId: message.id,
        origin: `${account.channel} conversation ${conversation.id} message ${message.id}`,
        raw: () => JSON.stringify(message),
      },
      () => normalizePolledMessage(message, account, conversation.id),
    );
    const normalized = reading.kind === 'read' ? reading.value : { kind: 'ignored' as const, reason: reading.reason };
    if (normalized.kind === 'complaint') {
      if (previous) await waitUntilTakenIn(store, account, previous, signal);
      const complaint =
        deps.download && normalized.downloads
          ? await keepAttachments(normalized.complaint, normalized.downloads, deps.download)
          : normalized.complaint;
      const result = await sink.submit(complaint, { channel: account.channel, hint: message.id });
      if (result.status === 'queued') submitted += 1;
      // A message with nothing to classify may only have been kept (no ticket to wait for).
      previous = result.status === 'quarantined' || normalized.complaint.meta?.chatter ? undefined : message.id;
    } else {
      log.debug({ message: message.id, reason: normalized.reason }, 'message not taken in');
    }
    // Likewise a message dated in the future is not a cursor: it stays newest, and stopping at it would
    // hide every message after it. Seen again next time, it is a known duplicate to the store.
    const created = graphTimeToIso(message.created_time);
    if (created === undefined || created <= latestPlausible()) {
      cursor = { lastId: message.id, lastTime: created ?? cursor.lastTime };
      await store.setCursor(key, JSON.stringify(cursor));
    }
  }
  await store.setCursor(
    key,
    JSON.stringify({
      ...cursor,
      updatedTime: updated,
      ...(conversation.message_count === undefined ? {} : { messageCount: conversation.message_count }),
    }),
  );
  return submitted;
}

/**
 * Citizens often send several short messages in a row. The intake stage threads a message onto its
 * conversation's open ticket only once that ticket exists, so the next message of the same
 * conversation waits (briefly) until the previous one was taken in, instead of racing it into a
 * second ticket.
 */
async function waitUntilTakenIn(
  store: Store,
  account: MetaAccount,
  sourceId: string,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + TAKE_IN_WAIT_MS;
  while (!signal.aborted && Date.now() < deadline) {
    if (await store.findByMessageRefs(account.channel, [sourceId])) return;
    await sleep(50, signal);
  }
}

/** Graph times later than this (our clock + 5 minutes of skew) are not used as cursors. */
function latestPlausible(): string {
  return new Date(Date.now() + 5 * 60_000).toISOString();
}

async function ensureFloor(store: Store, key: string, backfillHours: number): Promise<string> {
  const existing = await store.getCursor(key);
  if (existing) return existing;
  const floor = new Date(Date.now() - backfillHours * 3_600_000).toISOString();
  await store.setCursor(key, floor);
  return floor;
}

function parseCursor(raw: string | undefined): ConversationCursor | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as ConversationCursor;
    return typeof value.lastId === 'string' && typeof value.lastTime === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
