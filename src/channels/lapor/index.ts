import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../../domain/clock';
import { laporComplaint, type LaporReport } from '../../domain/lapor-report';
import type { ChannelModule } from '../channel-module';
import type { LaporConfig } from './config-schema';

export { laporChannelSchema, laporRulesSchema, type LaporConfig, type LaporRules } from './config-schema';
export type { LaporConnector, LaporFollowUp } from './connector';
export { ManualLaporConnector } from './manual-connector';

/**
 * SP4N-LAPOR! (docs/channel-lapor.md). Reports come three ways, all one ticket per Tracking ID: `aduan
 * intake --channel lapor` (the CLI), an HTTP JSON source with `channel: lapor` (channels.http), and the
 * notification mailbox read here. Nothing is ever sent to the reporter: the Admin Penghubung posts the
 * office's follow-up in LAPOR!.
 */
export const laporChannel: ChannelModule<LaporConfig> = {
  configOf: (config) => config.channels.lapor,
  async intakes(section, deps) {
    const notifications = section.notifications;
    if (!notifications) return [];
    const [{ ImapIntake }, { emailSettings }, { LaporNotificationProcessor }] = await Promise.all([
      import('../email/imap-intake'),
      import('../email/settings'),
      import('./notification-processor'),
    ]);
    const settings = emailSettings(deps.config);
    const log = deps.log.child({ channel: 'lapor' });
    const processor = new LaporNotificationProcessor(
      settings,
      deps.store,
      log,
      notifications.rules,
      deps.config.service.timeZone,
      deps.alerts,
      deps.clock,
    );
    return notifications.account.mailboxes.map(
      (mailbox) =>
        new ImapIntake(notifications.account, mailbox, {
          settings,
          processor,
          store: deps.store,
          alerts: deps.alerts,
          log,
          poison: deps.poison,
        }),
    );
  },
  // The reporter is answered in LAPOR! by a person: no transport.
  replyTransports: async () => ({}),
  /** `samples/lapor/reports.json`: reports as the Admin Penghubung copies them, forwarded just before the demo. */
  async feedDemo({ samplesDir, sink, clock }) {
    const file = path.join(samplesDir, 'lapor', 'reports.json');
    if (!existsSync(file)) return;
    const reports = JSON.parse(await readFile(file, 'utf8')) as Array<Omit<LaporReport, 'entry'>>;
    const now = (clock ?? systemClock).now().getTime();
    for (const report of reports) {
      const built = laporComplaint(
        {
          ...report,
          entry: 'demo',
          forwardedAt: new Date(now - 2 * 3600_000).toISOString(),
          disposedAt: new Date(now - 3600_000).toISOString(),
        },
        new Date(now),
      );
      if (built.ok) await sink.submit(built.complaint, { channel: 'lapor', hint: `lapor #${report.trackingId}` });
    }
  },
};
