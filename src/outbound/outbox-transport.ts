import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';
import { composeTextEml } from './text-eml';

/**
 * Writes every outgoing message to a folder instead of sending it: .eml for mail, .json for other
 * channels. Used by the demo and dry runs. The file name is the message id, written atomically (temp
 * file + rename), so a retried delivery never produces a second file. The file calls are asynchronous:
 * creating a file in a large folder is slow, and the thread pool does it beside the event loop.
 */
export class OutboxTransport implements Transport {
  private folderReady: Promise<unknown> | undefined;

  constructor(private readonly folder: string, private readonly from: { address: string; name: string }) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    const isMail = message.to.every((to) => to.includes('@'));
    const file = path.join(this.folder, `${safeName(message.id)}.${isMail ? 'eml' : 'json'}`);
    if (await exists(file)) return `outbox: already written ${path.basename(file)}`;
    await (this.folderReady ??= mkdir(this.folder, { recursive: true }));
    const body = !isMail
      ? Buffer.from(JSON.stringify({ ...message, from: this.from.name }, null, 2))
      : message.attachments?.length
        ? await new MailComposer(mailOptionsFor(message, this.from)).compile().build()
        : composeTextEml(message, this.from);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, body);
    await rename(temp, file);
    return `outbox: ${path.basename(file)}`;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
