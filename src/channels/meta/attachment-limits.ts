import type { MetaAccount } from './accounts';

/** The attachment types of the Send API's `message.attachment.type`. */
export type SendApiAttachmentType = 'image' | 'audio' | 'video' | 'file';

const MB = 1024 * 1024;

/**
 * What Meta documents for files uploaded with a message. Instagram Messaging "Upload Media"
 * (developers.facebook.com/docs/messenger-platform/instagram/features/attachment-upload): image png/jpeg/gif
 * up to 8 MB; audio aac/m4a/wav/mp4, video mp4/ogg/avi/mov/webm and file (PDF only) up to 25 MB, uploaded and
 * sent in one call. Messenger's Send API takes the same upload (multipart, the file in `filedata`) with a
 * 25 MB limit; images are held to 8 MB as integrators document it (Chatwoot, ManyChat), and files may also be
 * Office documents. Keyed by the type read from the bytes, never by the name or the type a sender claimed.
 */
const MEDIA: Record<string, { type: SendApiAttachmentType; maxBytes: number }> = {
  'image/jpeg': { type: 'image', maxBytes: 8 * MB },
  'image/png': { type: 'image', maxBytes: 8 * MB },
  'image/gif': { type: 'image', maxBytes: 8 * MB },
  'audio/mp4': { type: 'audio', maxBytes: 25 * MB },
  'audio/wav': { type: 'audio', maxBytes: 25 * MB },
  'audio/aac': { type: 'audio', maxBytes: 25 * MB },
  'video/mp4': { type: 'video', maxBytes: 25 * MB },
  'video/quicktime': { type: 'video', maxBytes: 25 * MB },
  'video/webm': { type: 'video', maxBytes: 25 * MB },
  'application/pdf': { type: 'file', maxBytes: 25 * MB },
};

const OOXML = 'application/vnd.openxmlformats-officedocument';
/** Messenger carries any document as a file; Instagram only PDF. Only documents a citizen can open safely. */
const MESSENGER_DOCUMENTS = new Set([
  `${OOXML}.wordprocessingml.document`,
  `${OOXML}.spreadsheetml.sheet`,
  `${OOXML}.presentationml.presentation`,
  'application/x-ole-storage',
]);

export type AttachmentVerdict =
  { send: true; type: SendApiAttachmentType; maxBytes: number } | { send: false; reason: string };

/** Whether a file of this (detected) type and size can go out on the channel, and as which attachment type. */
export function attachmentVerdict(
  account: Pick<MetaAccount, 'channel' | 'label'>,
  mime: string | undefined,
  size: number,
): AttachmentVerdict {
  const label = account.label;
  const document = account.channel === 'messenger' && mime !== undefined && MESSENGER_DOCUMENTS.has(mime);
  const documentMedia = document ? { type: 'file' as const, maxBytes: 25 * MB } : undefined;
  const media = mime === undefined ? undefined : (MEDIA[mime] ?? documentMedia);
  if (!media) return { send: false, reason: `jenis berkas ini tidak dapat dikirim lewat ${label}` };
  if (size > media.maxBytes) {
    return { send: false, reason: `lebih besar dari batas ${media.maxBytes / MB} MB ${label}` };
  }
  if (size === 0) return { send: false, reason: 'berkas kosong' };
  return { send: true, ...media };
}
