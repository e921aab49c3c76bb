import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import { emailChannelSchema, type EmailChannelConfig } from './config-schema';
import { canonicalAddress } from './loop-guard';

/** What the email channel derives from the whole config once: its own section plus who "we" are. */
export interface EmailSettings {
  channel: EmailChannelConfig;
  ownDomain: string;
  /** Canonical form (lower case, no +tag): our sender, team inboxes, admins, `ownAddresses`. */
  ownAddresses: ReadonlySet<string>;
  /** Canonical: where complaints arrive and our mail comes from (fromAddress, `ownAddresses`, account users); no staff. */
  intakeAddresses: ReadonlySet<string>;
  attachmentsFolder: string;
}

export function emailSettings(config: AppConfig): EmailSettings {
  const channel = config.channels.email ?? emailChannelSchema.parse({});
  const own = [
    config.outbound.fromAddress,
    ...Object.values(config.teams).flatMap((team) => team.emails),
    ...config.alerts.adminEmails,
    ...channel.ownAddresses,
  ];
  return {
    channel,
    ownDomain: config.outbound.fromAddress.split('@')[1] ?? 'localhost',
    ownAddresses: new Set(own.map(canonicalAddress)),
    intakeAddresses: new Set(
      [
        config.outbound.fromAddress,
        ...channel.ownAddresses,
        ...channel.accounts.map((a) => a.user).filter((user) => /^[^@\s]+@[^@\s]+$/.test(user)),
      ].map(canonicalAddress),
    ),
    attachmentsFolder: path.resolve(
      channel.attachments.folder ?? path.join(config.service.dataDir, 'attachments', 'email'),
    ),
  };
}
