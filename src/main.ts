import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Server } from 'node:http';
import type IORedis from 'ioredis';
import type { ChannelIntake } from './channels/channel';
import type { ChannelDeps, ReplyTransports } from './channels/channel-module';
import { CHANNEL_MODULES } from './channels/registry';
import { PoisonGuard } from './channels/poison-guard';
import { classifierOptionsOf } from './config/classifier-data';
import type { AppConfig } from './config/schema';
import type { CategoryKey } from './domain/categories';
import { REPLYABLE_CHANNELS } from './domain/channels';
import { buildClassifier } from './domain/classification';
import type { ComplaintClassifier } from './domain/classifier';
import type { RoutingRules } from './domain/routing';
import type { OfficeCalendar } from './domain/sla';
import type { ReplySecrets } from './domain/office-mail-ids';
import { staffDirectory, type StaffDirectory } from './domain/staff';
import type { Logger } from './lib/logger';
import { coalesceWritesPerTick } from './lib/redis-coalesce';
import { bullConnection, openRedis, verifyRedis } from './lib/redis-connection';
import type { Transport } from './outbound/message';
import { AttachmentFolders } from './outbound/attachment-folder';
import { OutboxTransport } from './outbound/outbox-transport';
import { SmtpTransport } from './outbound/smtp-transport';
import { AdminAlerts } from './ops/admin-alerts';
import { UnverifiedAnswerAlerts } from './ops/unverified-answer-alerts';
import { DeadLetterWatch } from './ops/dead-letter-watch';
import { ServiceMetrics } from './ops/metrics';
import { collectHealth, startHealthServer, type HealthReport } from './ops/health-server';
import { sweepFailedIntoDeadLetter } from './pipeline/dead-letter';
import { EffectsStage } from './pipeline/effects-stage';
import { IngestSink } from './pipeline/ingest';
import { IntakeStage } from './pipeline/intake-stage';
import { scheduleMonthlyRecap } from './pipeline/monthly-recap';
import { openQueues, type PipelineQueues } from './pipeline/queues';
import { Reconciler } from './pipeline/reconciler';
import { SlaSweep } from './pipeline/sla-sweep';
import { startWorkers } from './pipeline/workers';
import { MongoStore } from './store/mongo-store';
import { SqliteStore } from './store/sqlite-store';
import type { Store } from './store/store';

/**
 * The composition root: the only place that picks concrete parts (store, transports, channels) and
 * wires them together. Commands (start, demo, dlq) and integration tests go through here.
 */

export function createStore(config: AppConfig): Store {
  if (config.store.url) return new MongoStore(config.store.url, config.store.database);
  return new SqliteStore(path.join(config.service.dataDir, 'aduan.sqlite'));
}

export function createRedis(config: AppConfig): IORedis {
  // BullMQ needs maxRetriesPerRequest: null so blocking commands wait out a Redis restart.
  return coalesceWritesPerTick(openRedis(config.redis, { maxRetriesPerRequest: null }));
}

export function createClassifier(config: AppConfig, configDir: string): ComplaintClassifier {
  return buildClassifier(classifierOptionsOf(config, configDir));
}

export function officeCalendar(config: AppConfig): OfficeCalendar {
  return { timeZone: config.service.timeZone, hours: config.calendar.hours, holidays: config.calendar.holidays };
}

/** Staff: every team inbox, the supervisors and the configured addresses and domains. */
export function staffOf(config: AppConfig): StaffDirectory {
  const addresses = [
    ...Object.values(config.teams).flatMap((t) => t.emails),
    ...config.sla.supervisorEmails,
    ...config.staff.addresses,
  ];
  return staffDirectory(addresses, config.staff.domains);
}

/**
 * The secrets of reply-address and Message-ID tokens (staff.replySecret, from ADUAN_REPLY_SECRET). Live
 * mode refuses to run without one; outbox mode (demo, dry runs) makes up one for this process.
 */
export function replySecrets(config: AppConfig, log?: Logger): ReplySecrets {
  const previous = config.staff.replySecretPrevious
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (config.staff.replySecret) return { current: config.staff.replySecret, previous };
  if (config.outbound.mode === 'live') {
    throw new Error('outbound.mode is live but staff.replySecret is empty: set ADUAN_REPLY_SECRET (32+ characters)');
  }
  log?.warn('staff.replySecret is empty: using a secret for this process only (outbox mode); tokens end with it');
  return { current: randomBytes(32).toString('hex'), previous };
}

/** Where the service stores attachments: the only places outgoing mail reads files from. */
export function attachmentFolders(config: AppConfig): string[] {
  const email = config.channels.email?.attachments.folder;
  return [path.resolve(config.service.dataDir, 'attachments'), ...(email ? [path.resolve(email)] : [])];
}

export function routingRules(config: AppConfig): RoutingRules {
  const byCategory = Object.fromEntries(Object.entries(config.categories).map(([key, c]) => [key, c.team])) as Record<
    CategoryKey,
    string
  >;
  return {
    triageTeam: config.routing.triageTeam,
    ...(config.integrity ? { integrityTeam: config.integrity.team } : {}),
    byCategory,
    byChannel: config.routing.byChannel,
  };
}

/** Outbox mode writes everything to files; live mode uses each channel's real transport. */
export async function createTransports(
  config: AppConfig,
  log: Logger,
): Promise<{ citizen: ReplyTransports; team: Transport }> {
  const from = { address: config.outbound.fromAddress, name: config.outbound.fromName };
  if (config.outbound.mode === 'outbox') {
    const outbox = new OutboxTransport(config.outbound.outboxDir, from);
    return { citizen: Object.fromEntries(REPLYABLE_CHANNELS.map((c) => [c, outbox])), team: outbox };
  }
  if (!config.outbound.smtp) throw new Error('outbound.mode is live but outbound.smtp is not configured');
  const pool = config.outbound.smtp.maxConnections ?? config.pipeline.effectsConcurrency;
  const smtp = new SmtpTransport({ ...config.outbound.smtp, maxConnections: pool }, from);
  const citizen: ReplyTransports = {};
  for (const channel of CHANNEL_MODULES) {
    Object.assign(citizen, await channel.replyTransports(channel.configOf(config), { config, log, mail: smtp }));
  }
  return { citizen, team: smtp };
}

/** The intakes of every channel the config enables, sharing one poison-message guard. */
export async function createChannels(base: Omit<ChannelDeps, 'poison'>): Promise<ChannelIntake[]> {
  const { config, store, log, alerts } = base;
  const poisonSettings = { ...config.pipeline.poison, rawFolder: path.join(config.service.dataDir, 'quarantine') };
  const poison = new PoisonGuard(store, alerts, log.child({ stage: 'poison' }), poisonSettings);
  const deps: ChannelDeps = { ...base, poison };
  const intakes: ChannelIntake[] = [];
  for (const channel of CHANNEL_MODULES) {
    const section = channel.configOf(deps.config);
    if (section?.enabled) intakes.push(...(await channel.intakes(section, deps)));
  }
  return intakes;
}

export interface ServiceParts {
  config: AppConfig;
  configDir: string;
  log: Logger;
  /** Defaults to the channels the config enables. */
  channels?: ChannelIntake[];
  /** Defaults to the transports the config selects. */
  transports?: { citizen: ReplyTransports; team: Transport };
  classifier?: ComplaintClassifier;
  /** Start the /healthz server (the service does; tests and the demo usually do not). */
  health?: boolean;
}

export interface RunningService {
  store: Store;
  metrics: ServiceMetrics;
  alerts: AdminAlerts;
  queues: PipelineQueues;
  sink: IngestSink;
  channels: ChannelIntake[];
  reconciler: Reconciler;
  health(): Promise<HealthReport>;
  stop(): Promise<void>;
}

export async function startService(parts: ServiceParts): Promise<RunningService> {
  const { config, log } = parts;
  // First: live mode without the token secret refuses to start before anything is opened.
  const secrets = replySecrets(config, log);
  // One clear error (wrong password, no TLS, no server) instead of a reconnect warning every second.
  await verifyRedis(config.redis);
  const store = createStore(config);
  await store.init();
  const redis = createRedis(config);
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  const classifier = parts.classifier ?? createClassifier(config, parts.configDir);
  const transports = parts.transports ?? (await createTransports(config, log));
  const alertLog = log.child({ stage: 'alerts' });
  const alerts = new AdminAlerts(store, transports.team, config.alerts, alertLog);

  let channels: ChannelIntake[] = [];
  const metrics = new ServiceMetrics(queues, () => channels.map((c) => c.health()));
  const calendar = officeCalendar(config);
  const intake = new IntakeStage({
    store,
    classifier,
    categories: config.categories,
    routing: routingRules(config),
    calendar,
    staff: staffOf(config),
    effects: queues.effects,
    log: log.child({ stage: 'intake' }),
    metrics,
    answers: {
      answerableBy: config.staff.answerableBy,
      teams: config.teams,
      supervisorEmails: config.sla.supervisorEmails,
      unverifiedNotesPerHour: config.staff.unverifiedNotesPerTicketPerHour,
    },
    replySecrets: secrets,
    ownDomain: config.outbound.fromAddress.split('@')[1] ?? 'localhost',
    unverifiedAnswers: new UnverifiedAnswerAlerts(store, alerts, config.alerts.unverifiedAnswersPerHour, alertLog),
  });
  const effects = new EffectsStage({
    store,
    categories: config.categories,
    teams: config.teams,
    timeZone: config.service.timeZone,
    maskNikInTeamMail: config.outbound.maskNikInTeamMail,
    fromAddress: config.outbound.fromAddress,
    replySecrets: secrets,
    attachmentFolders: new AttachmentFolders(attachmentFolders(config)),
    citizenTransports: transports.citizen,
    teamTransport: transports.team,
    log: log.child({ stage: 'effects' }),
    sla: config.sla,
    metrics,
  });
  await sweepFailedIntoDeadLetter(queues, store, log);
  const workers = startWorkers({
    connection: redis,
    prefix: config.redis.prefix,
    pipeline: config.pipeline,
    queues,
    intake,
    effects,
    log,
    metrics,
    store,
  });
  // Started means connected: BullMQ cannot close a connection that is still initialising without an
  // unhandled 'Connection is closed' error, which a quick start-and-stop (aduan intake) could hit.
  await Promise.all(
    [...workers.workers, queues.intake, queues.effects, queues.deadLetter].map((q) => q.waitUntilReady()),
  );
  const reconciler = new Reconciler(store, queues, log.child({ stage: 'reconcile' }), {
    intervalMs: config.pipeline.reconcileIntervalMs,
    afterMs: config.pipeline.reconcileAfterMs,
  });
  reconciler.start();
  const slaSweep = config.sla.timers
    ? new SlaSweep({
        store,
        effects: queues.effects,
        calendar,
        reminderAtShare: config.sla.reminderAtShare,
        intervalMs: config.sla.checkEverySeconds * 1000,
        log: log.child({ stage: 'sla' }),
      })
    : undefined;
  slaSweep?.start();
  // Its own connection: a queue that borrows the shared client can see that client's close during start-up
  // as an unhandled error when the service stops quickly.
  const monthlyRecap = await scheduleMonthlyRecap({
    store,
    config,
    transport: transports.team,
    log: log.child({ stage: 'recap' }),
    connection: bullConnection(config.redis, { maxRetriesPerRequest: null }),
    prefix: config.redis.prefix,
    attempts: config.pipeline.attempts,
  });

  const sink = new IngestSink(store, queues.intake, log.child({ stage: 'ingest' }), metrics);
  const deadLetterWatch = new DeadLetterWatch(queues.deadLetter, store, alerts, log.child({ stage: 'alerts' }));
  deadLetterWatch.start(config.pipeline.reconcileIntervalMs);
  channels = parts.channels ?? (await createChannels({ config, store, log, alerts, registry: metrics.registry }));
  for (const channel of channels) await channel.start(sink);

  const healthSources = {
    redis: async () => {
      await redis.ping();
    },
    store: () => store.ping(),
    channels: () => channels.map((c) => c.health()),
  };
  let server: Server | undefined;
  if (parts.health && config.service.healthPort > 0) {
    server = await startHealthServer({
      host: config.service.healthHost,
      port: config.service.healthPort,
      sources: healthSources,
      log,
      metrics: metrics.registry,
      token: config.service.monitoringToken,
    });
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down: stopping channels');
      await Promise.all(
        channels.map((c) =>
          c.stop().catch((error: unknown) => log.warn({ err: error, channel: c.name }, 'channel stop failed')),
        ),
      );
      reconciler.stop();
      slaSweep?.stop();
      await deadLetterWatch.stop();
      await workers.close(config.pipeline.shutdownTimeoutMs);
      await monthlyRecap.close();
      await queues.close();
      await Promise.all([transports.team.close?.(), ...Object.values(transports.citizen).map((t) => t?.close?.())]);
      await redis.quit().catch(() => redis.disconnect());
      await store.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      log.info('shut down cleanly');
    })();
    return stopping;
  };

  return {
    store,
    metrics,
    alerts,
    queues,
    sink,
    channels,
    reconciler,
    health: () => collectHealth(healthSources),
    stop,
  };
}
