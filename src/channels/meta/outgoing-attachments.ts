import { filePartKey } from '../shared/file-part-key';
import { readFile } from 'node:fs/promises';
import { detectFileKind } from '../../domain/file-signature';
import type { OutgoingMessage } from '../../outbound/message';
import type { MetaAccount } from './accounts';
import { attachmentVerdict, type SendApiAttachmentType } from './attachment-limits';
import { readHead } from '../shared/file-head';

/** A file of a staff answer that the channel can carry, with the type read from its bytes. */
export interface PreparedAttachment {
  /** Key of this file's upload in the effect's progress record. */
  part: string;
  name: string;
  path: string;
  mime: string;
  type: SendApiAttachmentType;
  maxBytes: number;
}

type Attachment = NonNullable<OutgoingMessage['attachments']>[number];

/**
 * Sorts a message's files (already checked to lie in the attachment folders) into those the channel can carry
 * and those it cannot, with the reason in Bahasa Indonesia. The type comes from the bytes, never from the name
 * or a claimed content type; the size is checked against Meta's limit for that type before anything is sent.
 */
export async function prepareAttachments(
  attachments: readonly Attachment[],
  account: Pick<MetaAccount, 'channel' | 'label'>,
): Promise<{ files: PreparedAttachment[]; unsent: Array<{ name: string; reason: string }> }> {
  const files: PreparedAttachment[] = [];
  const unsent: Array<{ name: string; reason: string }> = [];
  for (const [index, attachment] of attachments.entries()) {
    const head = await readHead(attachment.path);
    if (!head) {
      unsent.push({ name: attachment.filename, reason: 'berkas tidak dapat dibaca' });
      continue;
    }
    const mime = detectFileKind(head.bytes)?.mime;
    const verdict = attachmentVerdict(account, mime, head.size);
    if (!verdict.send) {
      unsent.push({ name: attachment.filename, reason: verdict.reason });
      continue;
    }
    files.push({
      part: filePartKey(index, attachment.filename, head.size),
      name: attachment.filename,
      path: attachment.path,
      mime: mime!,
      type: verdict.type,
      maxBytes: verdict.maxBytes,
    });
  }
  return { files, unsent };
}

/**
 * The Send API's upload-and-send form: `recipient`, `message` with the attachment type (not reusable: each
 * file goes to one citizen), the window fields the text used, and the file in `filedata` with its type.
 */
export async function uploadForm(
  recipient: string,
  window: { messaging_type: string; tag?: string },
  file: PreparedAttachment,
): Promise<FormData> {
  const bytes = await readFile(file.path);
  // The file may have changed since it was sorted; Meta's limit holds for what is actually sent.
  if (bytes.length > file.maxBytes) {
    throw new Error(`${file.name} grew beyond ${file.maxBytes} bytes since it was checked`);
  }
  const form = new FormData();
  form.append('recipient', JSON.stringify({ id: recipient }));
  form.append('messaging_type', window.messaging_type);
  if (window.tag) form.append('tag', window.tag);
  form.append('message', JSON.stringify({ attachment: { type: file.type, payload: { is_reusable: false } } }));
  form.append('filedata', new Blob([bytes], { type: file.mime }), file.name);
  return form;
}
