import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { AppConfig } from '../config/schema';
import type { Logger } from '../lib/logger';
import type { Transport } from '../outbound/message';
import { buildRecapReport, previousMonth } from '../report/recap-report';
import { effectKey, type Store } from '../store/store';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../lib/private-files';

/**
 * The monthly recap mail: a BullMQ job scheduler fires on the 1st at `reports.monthlyAt` (office time
 * zone); the job mails the previous month's report to `reports.monthlyRecipients`. An effect record per
 * month makes a repeated or replayed job send nothing more.
 */
export const SCHEDULE_QUEUE = 'schedule';
const SCHEDULER_ID = 'monthly-recap';
const LEASE_MS = 5 * 60_000;

export interface MonthlyRecapDeps {
  store: Store;
  config: AppConfig;
  transport: Transport;
  log: Logger;
  /** What reports.letterhead.logoFile is relative to. */
  configDir?: string;
}

export async function sendMonthlyRecap(deps: MonthlyRecapDeps, now: Date): Promise<string> {
  const { store, config, transport } = deps;
  const period = previousMonth(now, config.service.timeZone);
  const month = period.from.slice(0, 7);
  const key = effectKey('recap', month);
  const state = await store.beginEffect(key, 'recap', 'monthly-recap', LEASE_MS);
  if (state === 'done') return `recap ${month} already sent`;
  if (state === 'busy') throw new Error(`recap ${month} is being sent by another attempt`);
  try {
    const report = await buildRecapReport(store, config, {
      ...period,
      now,
      ...(deps.configDir ? { configDir: deps.configDir } : {}),
    });
    const folder = path.join(config.service.dataDir, 'reports');
    const files = [
      { filename: report.filenames.html, contentType: 'text/html; charset=utf-8', content: report.html },
      { filename: report.filenames.csv, contentType: 'text/csv; charset=utf-8', content: report.csv },
    ];
    await ensurePrivateDir(folder);
    for (const file of files) {
      const temp = path.join(folder, `.${file.filename}.${process.pid}.tmp`);
      await writeFile(temp, file.content, { mode: PRIVATE_FILE_MODE });
      await rename(temp, path.join(folder, file.filename));
    }
    const detail = await transport.deliver({
      id: `alert.recap-${month}`,
      purpose: 'report',
      channel: 'email',
      to: config.reports.monthlyRecipients,
      subject: report.subject,
      text: report.text,
      attachments: files.map((f) => ({
        filename: f.filename,
        contentType: f.contentType,
        path: path.join(folder, f.filename),
      })),
    });
    await store.completeEffect(key, detail);
    deps.log.info({ month, recipients: config.reports.monthlyRecipients.length }, 'monthly recap sent');
    return detail;
  } catch (error) {
    await store.releaseEffect(key);
    throw error;
  }
}

export interface MonthlyRecapSchedule {
  queue: Queue;
  close(): Promise<void>;
}

/** Registers (or, without recipients, removes) the monthly scheduler and runs its worker. */
export async function scheduleMonthlyRecap(
  deps: MonthlyRecapDeps & { connection: ConnectionOptions; prefix: string; attempts: number },
): Promise<MonthlyRecapSchedule> {
  const { config, connection, prefix } = deps;
  const queue = new Queue(SCHEDULE_QUEUE, { connection, prefix });
  queue.on('error', (error) => deps.log.warn({ err: error }, 'schedule queue connection error'));
  if (config.reports.monthlyRecipients.length === 0) {
    await queue.removeJobScheduler(SCHEDULER_ID);
    return { queue, close: () => queue.close() };
  }
  const [hour, minute] = config.reports.monthlyAt.split(':').map(Number);
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: `${minute} ${hour} 1 * *`, tz: config.service.timeZone },
    {
      name: SCHEDULER_ID,
      data: {},
      opts: {
        attempts: deps.attempts,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: 24,
        removeOnFail: 100,
      },
    },
  );
  // The month is that of the scheduled time, not of when a delayed worker gets to it.
  const worker = new Worker(
    SCHEDULE_QUEUE,
    (job) => sendMonthlyRecap(deps, new Date(job.timestamp + (job.opts.delay ?? 0))),
    { connection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    deps.log.error({ err: error, attempt: job?.attemptsMade }, 'monthly recap failed'),
  );
  worker.on('error', (error) => deps.log.error({ err: error }, 'monthly recap worker error'));
  return {
    queue,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
