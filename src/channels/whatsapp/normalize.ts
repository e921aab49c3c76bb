import { cleanName } from '../../domain/attachment-name';
import { hasChatContent } from '../../domain/chat-content';
import { hasVisibleText, type Attachment, type ComplaintInputDraft } from '../../domain/complaint';
import { phoneFromWaId } from '../../domain/phone';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';
import type { WaContact, WaMessage, WaStatus, WaWebhookPayload } from './payload-types';

/**
 * Pure translation of a Cloud API `messages` webhook into what the service does with each part: every
 * entry, every change, every message and status of a batch (Chatwoot and Zammad read only the first).
 * The source id is the wamid, so a redelivery is recognised by the store; the thread is our number + the
 * citizen, so messages while a ticket is open become its follow-ups.
 */

export type WaItem =
  | { kind: 'complaint'; complaint: ComplaintInputDraft }
  | { kind: 'status'; phoneNumberId: string; status: DeliveryStatus }
  | { kind: 'no-ticket'; phoneNumberId: string; wamid: string; replyTo: string; what: 'reaction' | 'unsupported' }
  | { kind: 'ignored'; reason: string; malformed?: true };

export interface DeliveryStatus {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: string;
  errorCode?: number;
  errorTitle?: string;
}

/** Types whose bytes Meta keeps behind a media id (reference §3). */
export const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The attachment record of a media message until its bytes are downloaded. */
export const MEDIA_PENDING = 'media pending: menunggu unduhan dari WhatsApp';
const MAX_DATE_S = 8.64e12;

/** Where a reply to this citizen goes: the office number they wrote to, and their WhatsApp id. */
export function waAddress(phoneNumberId: string, waId: string): string {
  return `${phoneNumberId}:${waId}`;
}

export function parseWaAddress(address: string): { phoneNumberId: string; to: string } | undefined {
  const match = /^(\d+):([A-Za-z0-9._-]+)$/.exec(address);
  return match ? { phoneNumberId: match[1]!, to: match[2]! } : undefined;
}

export function normalizeWhatsAppWebhook(
  payload: unknown,
  ownNumbers: ReadonlySet<string>,
  now: Date = new Date(),
): WaItem[] {
  const body = payload as WaWebhookPayload;
  if (!isObject(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry))
    return [{ kind: 'ignored', reason: 'not a whatsapp_business_account payload', malformed: true }];
  const items: WaItem[] = [];
  for (const entry of body.entry) {
    const changes = isObject(entry) && Array.isArray(entry.changes) ? entry.changes : [];
    for (const change of changes) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) {
        items.push({ kind: 'ignored', reason: `webhook field ${String(change?.field)} not read` });
        continue;
      }
      const value = change.value;
      const phoneNumberId = value.metadata?.phone_number_id;
      if (typeof phoneNumberId !== 'string' || !ownNumbers.has(phoneNumberId)) {
        items.push({ kind: 'ignored', reason: 'phone_number_id of no configured number', malformed: true });
        continue;
      }
      const contacts = Array.isArray(value.contacts) ? value.contacts.filter(isObject) : [];
      for (const message of Array.isArray(value.messages) ? value.messages : [])
        items.push(normalizeMessage(message, phoneNumberId, contacts, now));
      for (const status of Array.isArray(value.statuses) ? value.statuses : [])
        items.push(normalizeStatus(status, phoneNumberId, now));
    }
  }
  return items;
}

function normalizeMessage(message: WaMessage, phoneNumberId: string, contacts: WaContact[], now: Date): WaItem {
  if (!isObject(message) || typeof message.id !== 'string' || message.id === '')
    return { kind: 'ignored', reason: 'message without id', malformed: true };
  const contact = contacts.find((c) => c.wa_id === message.from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = typeof message.from === 'string' && /^\d{6,15}$/.test(message.from) ? message.from : undefined;
  const userId = typeof contact?.user_id === 'string' ? sanitizeLine(contact.user_id, 200) : undefined;
  const citizenId = waId ?? userId;
  if (!citizenId) return { kind: 'ignored', reason: 'message without sender', malformed: true };
  const wamid = message.id.slice(0, 998);
  const type = typeof message.type === 'string' ? message.type.slice(0, 40) : 'unknown';
  if (type === 'reaction' || type === 'unsupported')
    return { kind: 'no-ticket', phoneNumberId, wamid, replyTo: waAddress(phoneNumberId, citizenId), what: type };

  const read = contentOf(message, type);
  if (!read) return { kind: 'ignored', reason: `message type ${type} not read` };
  const chatter = chatterOf(read.text, type);
  // A sticker says nothing to classify: no file is fetched for it, the conversation only notes it.
  const content = chatter === 'sticker' ? { ...read, text: '(stiker)', attachments: [], meta: {} } : read;
  if (!hasVisibleText(content.text) && content.attachments.length === 0)
    return { kind: 'ignored', reason: 'nothing to read (empty message)', malformed: true };
  const seconds = Number(message.timestamp);
  const sent = Number.isFinite(seconds) && Math.abs(seconds) < MAX_DATE_S ? new Date(seconds * 1000) : now;
  const name = typeof contact?.profile?.name === 'string' ? sanitizeLine(contact.profile.name, 200) : undefined;
  const contextId = typeof message.context?.id === 'string' ? message.context.id.slice(0, 500) : undefined;
  return {
    kind: 'complaint',
    complaint: {
      channel: 'whatsapp',
      sourceId: wamid,
      threadId: waAddress(phoneNumberId, citizenId),
      receivedAt: sent.toISOString(),
      complainant: {
        ...(name ? { name } : {}),
        ...(waId ? { phone: phoneFromWaId(waId) } : {}),
        platformUserId: waAddress(phoneNumberId, citizenId),
      },
      text: content.text,
      attachments: content.attachments,
      meta: {
        via: 'webhook',
        phoneNumberId,
        messageType: type,
        ...(userId ? { userId } : {}),
        ...(contextId ? { replyToWamid: contextId } : {}),
        ...content.meta,
        ...(chatter ? { chatter } : {}),
      },
    },
  };
}

/**
 * Why a message has nothing to classify (a greeting, emoji only, a sticker, a button tap), or undefined
 * when it has content. Photos, voice notes, documents, locations and contact cards always carry one.
 */
export function chatterOf(text: string, type: string): 'greeting' | 'sticker' | 'menu' | undefined {
  if (type === 'interactive' || type === 'button') return 'menu';
  if (type === 'sticker') return 'sticker';
  if (type !== 'text') return undefined;
  return hasChatContent(text) ? undefined : 'greeting';
}

interface Content {
  text: string;
  attachments: Attachment[];
  meta: Record<string, string>;
}

function contentOf(message: WaMessage, type: string): Content | undefined {
  const plain = (text: string, meta: Record<string, string> = {}): Content => ({
    text: sanitizeText(text),
    attachments: [],
    meta,
  });
  switch (type) {
    case 'text':
      return plain(stringOf(message.text?.body));
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker':
      return mediaContent(message[type], type);
    case 'location': {
      const l = message.location ?? {};
      const lines = [stringOf(l.name), stringOf(l.address)].filter(Boolean);
      const coordinates = `${numberOf(l.latitude)},${numberOf(l.longitude)}`;
      return plain(`[Lokasi] ${lines.join(', ')} https://maps.google.com/?q=${coordinates}`.trim(), {
        location: coordinates,
      });
    }
    case 'contacts': {
      const cards = (Array.isArray(message.contacts) ? message.contacts : []).slice(0, 20).map((c) => {
        const phones = (Array.isArray(c?.phones) ? c.phones : []).map((p) => stringOf(p?.phone)).filter(Boolean);
        return `${stringOf(c?.name?.formatted_name) || 'Tanpa nama'}${phones.length ? `: ${phones.join(', ')}` : ''}`;
      });
      return plain(`[Kontak] ${cards.join('; ')}`);
    }
    case 'interactive': {
      const i = message.interactive ?? {};
      const reply = i.type === 'list_reply' ? i.list_reply : i.button_reply;
      return plain(stringOf(reply?.title), { buttonId: stringOf(reply?.id).slice(0, 256) });
    }
    case 'button':
      return plain(stringOf(message.button?.text), { buttonPayload: stringOf(message.button?.payload).slice(0, 256) });
    default:
      return undefined;
  }
}

function mediaContent(media: WaMessage['image'], type: MediaType): Content {
  const m = isObject(media) ? media : {};
  const mime = typeof m.mime_type === 'string' && m.mime_type.length <= 200 ? m.mime_type : 'application/octet-stream';
  const label = type === 'audio' && m.voice ? 'pesan-suara' : type;
  const filename = cleanName(stringOf(m.filename).slice(0, 200)) || `${label}-whatsapp`;
  const mediaId = stringOf(m.id).slice(0, 200);
  const sha = typeof m.sha256 === 'string' ? m.sha256 : '';
  return {
    text: sanitizeText(stringOf(m.caption)),
    attachments: [{ filename, contentType: mime, size: 0, skippedReason: MEDIA_PENDING }],
    meta: { ...(mediaId ? { mediaId } : {}), ...(sha ? { mediaSha256: sha.slice(0, 200) } : {}) },
  };
}

function normalizeStatus(status: WaStatus, phoneNumberId: string, now: Date): WaItem {
  const known = ['sent', 'delivered', 'read', 'failed'] as const;
  const kind = known.find((k) => k === status?.status);
  if (!isObject(status) || typeof status.id !== 'string' || !kind)
    return { kind: 'ignored', reason: 'status without id or known state', malformed: true };
  const seconds = Number(status.timestamp);
  const at = Number.isFinite(seconds) && Math.abs(seconds) < MAX_DATE_S ? new Date(seconds * 1000) : now;
  const error = Array.isArray(status.errors) && isObject(status.errors[0]) ? status.errors[0] : undefined;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  return {
    kind: 'status',
    phoneNumberId,
    status: {
      wamid: status.id.slice(0, 500),
      status: kind,
      at: at.toISOString(),
      ...(code !== undefined ? { errorCode: code } : {}),
      ...(error && typeof error.title === 'string' ? { errorTitle: sanitizeLine(error.title, 200) } : {}),
    },
  };
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function numberOf(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? String(n) : '?';
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null;
}
