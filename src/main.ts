import path from 'node:path';
import type { Server } from 'node:http';
import IORedis from 'ioredis';
import { createCallCenterChannels, createCallCenterReplyTransport } from './channels/callcenter';
import type { ChannelIntake } from './channels/channel';
import type * as EmailChannels from './channels/email';
import type * as MetaChannels from './channels/meta';
import { createPortalChannels, createPortalReplyTransport } from './channels/portal';
import { SamplesIntake } from './channels/samples/samples-intake';
import { classifierOptionsOf } from './config/classifier-data';
import type { AppConfig } from './config/schema';
import type { CategoryKey } from './domain/categories';
import { REPLYABLE_CHANNELS, type ChannelKey } from './domain/channels';
import { buildClassifier } from './domain/classification';
import type { ComplaintClassifier } from './domain/classifier';
import type { RoutingRules } from './domain/routing';
import type { OfficeCalendar } from './domain/sla';
import { staffDirectory, type StaffDirectory } from './domain/staff';
import type { Logger } from './lib/logger';
import { coalesceWritesPerTick } from './lib/redis-coalesce';
import type { Transport } from './outbound/message';
import { OutboxTransport } from './outbound/outbox-transport';
import { SmtpTransport } from './outbound/smtp-transport';
import { AdminAlerts } from './ops/admin-alerts';
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

/**
 * The e-mail and Meta channels bring heavy dependencies (imapflow and mailparser, axios): they are
 * loaded when the config uses them, not in every process (~10 MB of heap otherwise).
 */
const emailChannels = (): typeof EmailChannels => require('./channels/email') as typeof EmailChannels;
const metaChannels = (): typeof MetaChannels => require('./channels/meta') as typeof MetaChannels;

export function createStore(config: AppConfig): Store {
  if (config.store.url) return new MongoStore(config.store.url, config.store.database);
  return new SqliteStore(path.join(config.service.dataDir, 'aduan.sqlite'));
}

export function createRedis(config: AppConfig): IORedis {
  // BullMQ needs maxRetriesPerRequest: null so blocking commands wait out a Redis restart.
  return coalesceWritesPerTick(new IORedis(config.redis.url, { maxRetriesPerRequest: null }));
}

export function createClassifier(config: AppConfig, configDir: string): ComplaintClassifier {
  return buildClassifier(classifierOptionsOf(config, configDir));
}

export function officeCalendar(config: AppConfig): OfficeCalendar {
  return { timeZone: config.service.timeZone, hours: config.calendar.hours, holidays: config.calendar.holidays };
}

/** Staff: every team inbox, the supervisors and the configured addresses and domains. */
export function staffOf(config: AppConfig): StaffDirectory {
  const addresses = [...Object.values(config.teams).flatMap((t) => t.emails), ...config.sla.supervisorEmails, ...config.staff.addresses];
  return staffDirectory(addresses, config.staff.domains);
}

export function routingRules(config: AppConfig): RoutingRules {
  const byCategory = Object.fromEntries(Object.entries(config.categories).map(([key, c]) => [key, c.team])) as Record<CategoryKey, string>;
  return {
    triageTeam: config.routing.triageTeam,
    ...(config.integrity ? { integrityTeam: config.integrity.team } : {}),
    byCategory,
    byChannel: config.routing.byChannel,
  };
}

/** Outbox mode writes everything to files; live mode uses each channel's real transport. */
export function createTransports(config: AppConfig, log: Logger): { citizen: Partial<Record<ChannelKey, Transport>>; team: Transport } {
  const from = { address: config.outbound.fromAddress, name: config.outbound.fromName };
  if (config.outbound.mode === 'outbox') {
    const outbox = new OutboxTransport(config.outbound.outboxDir, from);
    return { citizen: Object.fromEntries(REPLYABLE_CHANNELS.map((c) => [c, outbox])), team: outbox };
  }
  if (!config.outbound.smtp) throw new Error('outbound.mode is live but outbound.smtp is not configured');
  const smtp = new SmtpTransport(config.outbound.smtp, from);
  const citizen: Partial<Record<ChannelKey, Transport>> = { email: smtp, ...metaChannels().createMetaReplyTransports(config.channels.meta, log) };
  const portalReply = createPortalReplyTransport(config.channels.perkebbas, log);
  if (portalReply && config.channels.perkebbas) citizen[config.channels.perkebbas.channel] = portalReply;
  // Without a gateway call-center tickets get no automatic reply: the agent already answered on the phone.
  const callCenterReply = createCallCenterReplyTransport(config.channels.callCenter, log);
  if (callCenterReply) citizen['call-center'] = callCenterReply;
  return { citizen, team: smtp };
}

/** What a channel adapter may use; adapters get only these, never the pipeline internals. */
export interface ChannelDeps {
  config: AppConfig;
  store: Store;
  log: Logger;
  alerts: AdminAlerts;
}

export function createChannels({ config, store, log, alerts }: ChannelDeps): ChannelIntake[] {
  const channels: ChannelIntake[] = [];
  const samples = config.channels.samples;
  if (samples?.enabled) channels.push(new SamplesIntake(samples.folder, store, log.child({ channel: 'samples' })));
  if (config.channels.meta?.enabled) channels.push(...metaChannels().createMetaChannels(config.channels.meta, { store, log, alerts }));
  if (config.channels.email?.enabled) channels.push(...emailChannels().createEmailChannels(config, { store, log, alerts }));
  const timeZone = config.service.timeZone;
  channels.push(...createPortalChannels(config.channels.perkebbas, { store, log, alerts, timeZone }));
  channels.push(...createCallCenterChannels(config.channels.callCenter, { store, log, alerts, timeZone }));
  return channels;
}

export interface ServiceParts {
  config: AppConfig;
  configDir: string;
  log: Logger;
  /** Defaults to the channels the config enables. */
  channels?: ChannelIntake[];
  /** Defaults to the transports the config selects. */
  transports?: { citizen: Partial<Record<ChannelKey, Transport>>; team: Transport };
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
  const store = createStore(config);
  await store.init();
  const redis = createRedis(config);
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  const classifier = parts.classifier ?? createClassifier(config, parts.configDir);
  const transports = parts.transports ?? createTransports(config, log);

  let channels: ChannelIntake[] = [];
  const metrics = new ServiceMetrics(queues, () => channels.map((c) => c.health()));
  const calendar = officeCalendar(config);
  const intake = new IntakeStage({
    store, classifier, categories: config.categories, routing: routingRules(config), calendar,
    staff: staffOf(config), effects: queues.effects, log: log.child({ stage: 'intake' }), metrics,
  });
  const effects = new EffectsStage({
    store, categories: config.categories, teams: config.teams, timeZone: config.service.timeZone,
    maskNikInTeamMail: config.outbound.maskNikInTeamMail, fromAddress: config.outbound.fromAddress,
    citizenTransports: transports.citizen, teamTransport: transports.team, log: log.child({ stage: 'effects' }),
    sla: config.sla, metrics,
  });
  await sweepFailedIntoDeadLetter(queues, log);
  const workers = startWorkers({ connection: redis, prefix: config.redis.prefix, pipeline: config.pipeline, queues, intake, effects, log, metrics });
  // Started means connected: BullMQ cannot close a connection that is still initialising without an
  // unhandled 'Connection is closed' error, which a quick start-and-stop (aduan intake) could hit.
  await Promise.all([...workers.workers, queues.intake, queues.effects, queues.deadLetter].map((q) => q.waitUntilReady()));
  const reconciler = new Reconciler(store, queues, log.child({ stage: 'reconcile' }), {
    intervalMs: config.pipeline.reconcileIntervalMs, afterMs: config.pipeline.reconcileAfterMs,
  });
  reconciler.start();
  const slaSweep = config.sla.timers
    ? new SlaSweep({ store, effects: queues.effects, calendar, reminderAtShare: config.sla.reminderAtShare, intervalMs: config.sla.checkEverySeconds * 1000, log: log.child({ stage: 'sla' }) })
    : undefined;
  slaSweep?.start();
  // Its own connection: a queue that borrows the shared client can see that client's close during start-up
  // as an unhandled error when the service stops quickly.
  const monthlyRecap = await scheduleMonthlyRecap({
    store, config, transport: transports.team, log: log.child({ stage: 'recap' }), connection: { url: config.redis.url, maxRetriesPerRequest: null }, prefix: config.redis.prefix, attempts: config.pipeline.attempts,
  });

  const sink = new IngestSink(store, queues.intake, log.child({ stage: 'ingest' }), metrics);
  const alerts = new AdminAlerts(store, transports.team, config.alerts, log.child({ stage: 'alerts' }));
  const deadLetterWatch = new DeadLetterWatch(queues.deadLetter, store, alerts, log.child({ stage: 'alerts' }));
  deadLetterWatch.start(config.pipeline.reconcileIntervalMs);
  channels = parts.channels ?? createChannels({ config, store, log, alerts });
  for (const channel of channels) await channel.start(sink);

  const healthSources = {
    redis: async () => { await redis.ping(); },
    store: () => store.ping(),
    channels: () => channels.map((c) => c.health()),
  };
  let server: Server | undefined;
  if (parts.health && config.service.healthPort > 0) {
    server = await startHealthServer({ host: config.service.healthHost, port: config.service.healthPort, sources: healthSources, metrics: metrics.registry, log });
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down: stopping channels');
      await Promise.all(channels.map((c) => c.stop().catch((error: unknown) => log.warn({ err: error, channel: c.name }, 'channel stop failed'))));
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

  return { store, metrics, alerts, queues, sink, channels, reconciler, health: () => collectHealth(healthSources), stop };
}
