import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Attachment } from '../../domain/complaint';
import { nameAttachment } from '../../domain/attachment-name';

/**
 * Attachment records for the complaint, and the files to write. Files are content-addressed
 * (<folder>/<ab>/<sha256>), so writing the same attachment twice (a re-read message) is harmless.
 */

export interface MailPart {
  filename?: string | undefined;
  contentType: string;
  content: Buffer;
  checksum?: string | undefined;
}

export interface FileToStore {
  path: string;
  content: Buffer;
}

export const MAX_ATTACHMENTS = 100;

export function describeAttachments(
  parts: MailPart[],
  options: { folder: string; maxBytes: number },
): { attachments: Attachment[]; files: FileToStore[] } {
  const attachments: Attachment[] = [];
  const files: FileToStore[] = [];
  for (const [index, part] of parts.slice(0, MAX_ATTACHMENTS).entries()) {
    const sha256 =
      part.checksum && /^[0-9a-f]{64}$/.test(part.checksum)
        ? part.checksum
        : createHash('sha256').update(part.content).digest('hex');
    const named = nameAttachment(part.filename, part.contentType, part.content, index + 1);
    const record: Attachment = {
      filename: named.filename,
      contentType: named.contentType,
      size: part.content.length,
      sha256,
      ...(named.warning ? { warning: named.warning } : {}),
    };
    if (part.content.length > options.maxBytes) {
      attachments.push({
        ...record,
        skippedReason: `tidak disimpan: ukuran ${megabytes(part.content.length)} melebihi batas ${megabytes(options.maxBytes)}`,
      });
      continue;
    }
    const storedAt = path.join(options.folder, sha256.slice(0, 2), sha256);
    attachments.push({ ...record, storedAt });
    files.push({ path: storedAt, content: part.content });
  }
  return { attachments, files };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
