/** The message types a file goes out as on WhatsApp (reference §3 and Meta's "Supported media types"). */
export type WhatsAppMediaType = 'image' | 'document' | 'audio' | 'video';

const MB = 1024 * 1024;

const OOXML = 'application/vnd.openxmlformats-officedocument';

/**
 * What the Cloud API carries, keyed by the type read from the file's bytes (never its name or claimed type),
 * with Meta's size limit per media type: image JPEG/PNG 5 MB; audio AAC/AMR/MP3/MP4 audio/OGG (Opus) 16 MB;
 * video MP4/3GPP 16 MB; documents (PDF, Office) 100 MB. GIF, WebP (stickers only), WAV, QuickTime, archives
 * and anything unrecognised are not sent.
 */
const MEDIA: Record<string, { type: WhatsAppMediaType; maxBytes: number }> = {
  'image/jpeg': { type: 'image', maxBytes: 5 * MB },
  'image/png': { type: 'image', maxBytes: 5 * MB },
  'audio/aac': { type: 'audio', maxBytes: 16 * MB },
  'audio/amr': { type: 'audio', maxBytes: 16 * MB },
  'audio/mpeg': { type: 'audio', maxBytes: 16 * MB },
  'audio/mp4': { type: 'audio', maxBytes: 16 * MB },
  'audio/ogg': { type: 'audio', maxBytes: 16 * MB },
  'video/mp4': { type: 'video', maxBytes: 16 * MB },
  'video/3gpp': { type: 'video', maxBytes: 16 * MB },
  'application/pdf': { type: 'document', maxBytes: 100 * MB },
  [`${OOXML}.wordprocessingml.document`]: { type: 'document', maxBytes: 100 * MB },
  [`${OOXML}.spreadsheetml.sheet`]: { type: 'document', maxBytes: 100 * MB },
  [`${OOXML}.presentationml.presentation`]: { type: 'document', maxBytes: 100 * MB },
  'application/msword': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-excel': { type: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-powerpoint': { type: 'document', maxBytes: 100 * MB },
};

/** The MIME types the Cloud API accepts for each media type, as the loopback fake checks them too. */
export function acceptedMime(mime: string): { type: WhatsAppMediaType; maxBytes: number } | undefined {
  return MEDIA[mime];
}

/**
 * An old Office file is one OLE container whatever it holds; the Cloud API wants the specific type, which only
 * the name tells (a wrong guess still opens: the citizen's phone reads the file, not the label).
 */
export function uploadMime(detected: string, filename: string): string {
  if (detected !== 'application/x-ole-storage') return detected;
  if (/\.xls$/i.test(filename)) return 'application/vnd.ms-excel';
  if (/\.ppt$/i.test(filename)) return 'application/vnd.ms-powerpoint';
  return 'application/msword';
}

export type MediaVerdict =
  { send: true; type: WhatsAppMediaType; mime: string; maxBytes: number } | { send: false; reason: string };

/** Whether a file of this detected type and size can go out on WhatsApp, and as which message type. */
export function mediaVerdict(detected: string | undefined, filename: string, size: number): MediaVerdict {
  const mime = detected === undefined ? undefined : uploadMime(detected, filename);
  const media = mime === undefined ? undefined : MEDIA[mime];
  if (!media || !mime) return { send: false, reason: 'jenis berkas ini tidak dapat dikirim lewat WhatsApp' };
  if (size > media.maxBytes)
    return { send: false, reason: `lebih besar dari batas ${media.maxBytes / MB} MB WhatsApp` };
  if (size === 0) return { send: false, reason: 'berkas kosong' };
  return { send: true, mime, ...media };
}
