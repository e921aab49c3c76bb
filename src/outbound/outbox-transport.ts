import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';

/**
 * Writes every outgoing message to a folder instead of sending it: .eml for mail, .json for other
 * channels. Used by the demo and dry runs. The file name is the message id, written atomically, so a
 * retried delivery never produces a second file.
 */
export class OutboxTransport implements Transport {
  private folderReady: Promise<unknown> | undefined;

  constructor(private readonly folder: string, private readonly from: { address: string; name: string }) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    const isMail = message.to.every((to) => to.includes('@'));
    const file = path.join(this.folder, `${safeName(message.id)}.${isMail ? 'eml' : 'json'}`);
    if (existsSync(file)) return `outbox: already written ${path.basename(file)}`;
    await (this.folderReady ??= mkdir(this.folder, { recursive: true }));
    const body = isMail
      ? await new MailComposer(mailOptionsFor(message, this.from)).compile().build()
      : Buffer.from(JSON.stringify({ ...message, from: this.from.name }, null, 2));
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, body);
    await rename(temp, file);
    return `outbox: ${path.basename(file)}`;
  }
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
