import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Store } from '../../store/store';
import type { ChannelIntake } from '../channel';
import type { PoisonGuard } from '../poison-guard';
import { EmailProcessor } from './email-processor';
import { ImapIntake } from './imap-intake';
import { emailSettings } from './settings';

/** One IMAP reader per configured account and mailbox, sharing one processor. */
export function createEmailChannels(
  config: AppConfig,
  deps: { store: Store; log: Logger; alerts: AdminAlerts; poison: PoisonGuard },
): ChannelIntake[] {
  const settings = emailSettings(config);
  const log = deps.log.child({ channel: 'email' });
  const processor = new EmailProcessor(settings, deps.store, log, deps.alerts);
  return settings.channel.accounts.flatMap((account) =>
    account.mailboxes.map(
      (mailbox) =>
        new ImapIntake(account, mailbox, {
          settings,
          processor,
          store: deps.store,
          alerts: deps.alerts,
          log: deps.log,
          poison: deps.poison,
        }),
    ),
  );
}
