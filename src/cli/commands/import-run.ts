import type { AppConfig } from '../../config/schema';
import type { Clock } from '../../domain/clock';
import { TransientError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { redisAddress } from '../../lib/redis-connection';
import {
  createClassifier,
  createIntakeStage,
  createTeamTransport,
  historyAgeOf,
  officeCalendar,
  replySecrets,
} from '../../main';
import { AdminAlerts } from '../../ops/admin-alerts';
import { ImportSummaries } from '../../pipeline/import-summary';
import { IngestSink } from '../../pipeline/ingest';
import { complaintOfJob } from '../../pipeline/intake-job';
import type { IntakeJob } from '../../pipeline/queues';
import type { Store } from '../../store/store';
import { CommandError, openCommandStore } from '../command-context';
import { effectsQueueOrLater, type LaterQueue } from '../command-effects';

/** What an import writes with, opened in this process: no workers, sweeps or schedulers of the service. */
export interface ImportRun {
  store: Store;
  sink: IngestSink;
  alerts: AdminAlerts;
  /** Throws the one-line CommandError when a live record needed Redis and it could not be reached. */
  throwIfRedisNeeded(): void;
  /** Tells the admin when some live record's effects wait for the service's reconciler (Redis lost mid-way). */
  noticeIfPostponed(err: NodeJS.WritableStream): void;
  close(): Promise<void>;
}

/**
 * The store (fails fast when it cannot be opened), the intake step for live records, the effects queue of
 * the running service (Redis checked once, up front; a historical-only import never needs it) and the
 * admins' summary. The summary is one mail sent from here through the office's own mail transport, once
 * across crashes by its effect record (`import:<importId>`) and a stable Message-ID.
 */
export async function openImport(config: AppConfig, configDir: string, log: Logger, clock: Clock): Promise<ImportRun> {
  const store = await openCommandStore(config);
  let effects: LaterQueue | undefined;
  const team = createTeamTransport(config);
  try {
    effects = await effectsQueueOrLater(config);
    const alertLog = log.child({ stage: 'alerts' });
    const alerts = new AdminAlerts(store, team, config.alerts, alertLog);
    const intake = createIntakeStage({
      config,
      store,
      classifier: createClassifier(config, configDir),
      effects,
      log,
      secrets: replySecrets(config, log),
      clock,
    });
    const history = {
      calendar: officeCalendar(config),
      olderThan: historyAgeOf(config),
      intake,
      summaries: new ImportSummaries({ store, alerts, timeZone: config.service.timeZone, log: alertLog }),
    };
    let redisNeeded: string | undefined;
    const queue = effects;
    // A live record: the intake step here, its effects queued for the service's workers. Without Redis its
    // effects could not be queued: stop, the records so far stay stored and a rerun continues the import.
    const liveIntake = {
      add: async (_name: string, job: IntakeJob) => {
        if (!queue.reachable()) {
          redisNeeded ??= queue.reason();
          throw new TransientError(`Redis is needed for a recent record: ${redisNeeded}`);
        }
        const complaint = await complaintOfJob(job, store);
        if (complaint !== undefined) await intake.process(complaint);
        return undefined as never;
      },
    };
    const sink = new IngestSink(store, liveIntake, log.child({ stage: 'ingest' }), undefined, history, clock);
    return {
      store,
      sink,
      alerts,
      throwIfRedisNeeded: () => {
        if (redisNeeded === undefined) return;
        throw new CommandError(
          `aduan: Redis at ${redisAddress(config.redis)} cannot be used (${redisNeeded}); it is needed for the ` +
            'recent records of this import (their messages are queued for the service). The older records read ' +
            'so far are stored as history; start Redis (systemctl start redis-server) or set REDIS_URL / ' +
            'redis.url to a running one, then run the same command again: it continues this import.',
        );
      },
      noticeIfPostponed: (err) => {
        if (queue.postponed() && queue.reachable())
          err.write(
            `Perhatian: sebagian pesan untuk pengaduan baru belum masuk antrean (Redis: ${queue.reason()}); ` +
              'layanan aduan mengantrekannya otomatis setelah Redis kembali berjalan.\n',
          );
      },
      close: async () => {
        await queue.close();
        await team.close?.();
        await store.close();
      },
    };
  } catch (error) {
    await effects?.close();
    await team.close?.();
    await store.close();
    throw error;
  }
}
