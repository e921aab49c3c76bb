import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/schema';
import type { ReplySecrets } from '../domain/office-mail-ids';
import type { Logger } from '../lib/logger';
import { createClassifier, createIntakeStage, replySecrets } from '../main';
import { IngestSink } from '../pipeline/ingest';
import { inPlaceIntake } from '../pipeline/intake-job';
import type { Store } from '../store/store';
import type { LaterQueue } from './command-effects';

/**
 * How a complaint entered by staff (`aduan intake`, `aduan intake --channel lapor`) comes in: through the
 * durable inbox and the intake stage run in this process, so its ticket number is known at once; its effects
 * go to the service's queue (or later, when Redis is away).
 */
export function staffEntrySink(
  config: AppConfig,
  configDir: string,
  store: Store,
  effects: LaterQueue,
  log: Logger,
): IngestSink {
  const intake = createIntakeStage({
    config,
    store,
    classifier: createClassifier(config, configDir),
    effects,
    log,
    secrets: commandReplySecrets(config),
  });
  return new IngestSink(store, inPlaceIntake(store, intake), log);
}

/** Walk-ins and slips never carry staff reply tokens; a missing secret must not stop the counter. */
export function commandReplySecrets(config: AppConfig): ReplySecrets {
  try {
    return replySecrets(config);
  } catch {
    return { current: randomBytes(32).toString('hex'), previous: [] };
  }
}
