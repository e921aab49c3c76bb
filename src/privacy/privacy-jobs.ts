import type { AppConfig } from '../config/schema';
import type { Clock } from '../domain/clock';
import type { Logger } from '../lib/logger';
import { AttachmentFolders } from '../outbound/attachment-folder';
import type { AdminAlerts } from '../ops/admin-alerts';
import type { Store } from '../store/store';
import { Anonymizer } from './anonymizer';
import { RequestDeadlineWatch } from './request-deadline-watch';
import { RetentionJob } from './retention-job';

/** How often open data-subject requests are checked against their deadline. */
const REQUEST_CHECK_MS = 15 * 60_000;

/** The service's personal-data jobs: the nightly retention run and the request-deadline alerts. */
export function startPrivacyJobs(deps: {
  config: AppConfig;
  store: Store;
  alerts: AdminAlerts;
  attachmentRoots: string[];
  log: Logger;
  clock: Clock;
}): { stop(): void } {
  const { config, store, log, clock } = deps;
  const retention = config.privacy.retention.enabled
    ? new RetentionJob({
        store,
        anonymizer: new Anonymizer(store, new AttachmentFolders(deps.attachmentRoots)),
        rules: config.privacy.retention,
        runAt: config.privacy.retention.runAt,
        timeZone: config.service.timeZone,
        attachmentRoots: deps.attachmentRoots,
        log,
        clock,
      })
    : undefined;
  retention?.start();
  const requests = new RequestDeadlineWatch({
    store,
    alerts: deps.alerts,
    alertBeforeHours: config.privacy.requests.alertBeforeHours,
    timeZone: config.service.timeZone,
    log,
    clock,
  });
  requests.start(REQUEST_CHECK_MS);
  return {
    stop: () => {
      retention?.stop();
      requests.stop();
    },
  };
}
