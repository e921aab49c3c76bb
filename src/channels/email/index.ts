import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChannelModule } from '../channel-module';
import type { EmailChannelConfig } from './config-schema';

import { AutoReplyLimit } from './auto-reply-limit';
import { emailChannelSchema } from './config-schema';
import { canonicalAddress } from './loop-guard';

export { emailChannelSchema, type EmailChannelConfig } from './config-schema';

/**
 * IMAP mailboxes. imapflow and mailparser are loaded only when the config reads mail (~10 MB of heap
 * otherwise). Replies to citizens go out over the office's SMTP, whether or not a mailbox is read here.
 */
export const emailChannel: ChannelModule<EmailChannelConfig> = {
  configOf: (config) => config.channels.email,
  async intakes(_section, deps) {
    const { createEmailChannels } = await import('./intakes');
    return createEmailChannels(deps.config, deps);
  },
  replyTransports: async (_section, { mail }) => ({ email: mail }),
  /**
   * The same per-sender and total limits the reader applies to new mail, asked again when the initial response
   * goes: mail whose References name no ticket becomes a new ticket too, and forged References must not be a way
   * around the limits (the reader counted it already if it looked new: counting again is a no-op).
   */
  replyBudgets(section, { store }) {
    const limit = new AutoReplyLimit(store, (section ?? emailChannelSchema.parse({})).autoReplyLimit);
    return { email: { refusal: (address, messageId) => limit.refusal(canonicalAddress(address), messageId) } };
  },
  /** `samples/email/*.eml` through the same parsing and normalizing as IMAP mail. */
  async feedDemo({ samplesDir, config, store, sink, log }) {
    const folder = path.join(samplesDir, 'email');
    if (!existsSync(folder)) return;
    const { EmlFolderIntake } = await import('./eml-folder-intake');
    const mail = EmlFolderIntake.fromConfig(folder, config, store, log);
    await mail.start(sink);
    await mail.drained();
  },
};
