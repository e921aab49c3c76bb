import { createHash } from 'node:crypto';

/**
 * The delivery-progress key of one file of a staff answer sent on a chat channel: a retry skips the files whose
 * key is recorded. Name and size in the key, so a different file at the same position is not taken as sent.
 */
export function filePartKey(index: number, filename: string, size: number): string {
  const digest = createHash('sha256').update(`${filename}\0${size}`).digest('hex').slice(0, 12);
  return `file-${index}-${digest}`;
}
