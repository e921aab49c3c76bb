import { filePartKey } from '../shared/file-part-key';
import { readFile } from 'node:fs/promises';
import { detectFileKind } from '../../domain/file-signature';
import type { OutgoingMessage } from '../../outbound/message';
import { readHead } from '../shared/file-head';
import { mediaVerdict, type WhatsAppMediaType } from './media-limits';

/** A file of a staff answer that WhatsApp can carry, with the type read from its bytes. */
export interface PreparedMedia {
  /** Key of this file's send in the effect's progress record. */
  part: string;
  name: string;
  path: string;
  mime: string;
  type: WhatsAppMediaType;
  maxBytes: number;
}

type Attachment = NonNullable<OutgoingMessage['attachments']>[number];

/**
 * Sorts a message's files (already checked to lie in the attachment folders) into those WhatsApp can carry and
 * those it cannot, with the reason in Bahasa Indonesia, before anything is sent.
 */
export async function prepareMedia(
  attachments: readonly Attachment[],
): Promise<{ files: PreparedMedia[]; unsent: Array<{ name: string; reason: string }> }> {
  const files: PreparedMedia[] = [];
  const unsent: Array<{ name: string; reason: string }> = [];
  for (const [index, attachment] of attachments.entries()) {
    const head = await readHead(attachment.path);
    if (!head) {
      unsent.push({ name: attachment.filename, reason: 'berkas tidak dapat dibaca' });
      continue;
    }
    const verdict = mediaVerdict(detectFileKind(head.bytes)?.mime, attachment.filename, head.size);
    if (!verdict.send) {
      unsent.push({ name: attachment.filename, reason: verdict.reason });
      continue;
    }
    files.push({
      part: filePartKey(index, attachment.filename, head.size),
      name: attachment.filename,
      path: attachment.path,
      mime: verdict.mime,
      type: verdict.type,
      maxBytes: verdict.maxBytes,
    });
  }
  return { files, unsent };
}

/** POST /{phone-number-id}/media: `messaging_product`, the file's `type` and the file itself. */
export async function mediaUploadForm(file: PreparedMedia): Promise<FormData> {
  const bytes = await readFile(file.path);
  // The file may have changed since it was sorted; Meta's limit holds for what is actually sent.
  if (bytes.length > file.maxBytes)
    throw new Error(`${file.name} grew beyond ${file.maxBytes} bytes since it was checked`);
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', file.mime);
  form.append('file', new Blob([bytes], { type: file.mime }), file.name);
  return form;
}
