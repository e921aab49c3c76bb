import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';
import { composeTextEml } from './text-eml';

/**
 * Writes every outgoing message to a folder instead of sending it: .eml for mail, .json for other
 * channels. Used by the demo and dry runs. The file name is the message id, written atomically (temp
 * file + rename), so a retried delivery never produces a second file. Synchronous file calls: a small
 * file costs less to write directly than to hand to the thread pool.
 */
export class OutboxTransport implements Transport {
  private folderReady = false;

  constructor(private readonly folder: string, private readonly from: { address: string; name: string }) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    const isMail = message.to.every((to) => to.includes('@'));
    const file = path.join(this.folder, `${safeName(message.id)}.${isMail ? 'eml' : 'json'}`);
    if (existsSync(file)) return `outbox: already written ${path.basename(file)}`;
    if (!this.folderReady) {
      mkdirSync(this.folder, { recursive: true });
      this.folderReady = true;
    }
    const body = !isMail
      ? Buffer.from(JSON.stringify({ ...message, from: this.from.name }, null, 2))
      : message.attachments?.length
        ? await new MailComposer(mailOptionsFor(message, this.from)).compile().build()
        : composeTextEml(message, this.from);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, body);
    renameSync(temp, file);
    return `outbox: ${path.basename(file)}`;
  }
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
