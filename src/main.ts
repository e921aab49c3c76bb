import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Server } from 'node:http';
import type IORedis from 'ioredis';
import type { ChannelIntake } from './channels/channel';
import type { ChannelDeps, ReplyTransports } from './channels/channel-module';
import { CHANNEL_MODULES } from './channels/registry';
import { PoisonGuard } from './channels/poison-guard';
import { laporChannelSchema, ManualLaporConnector, type LaporConfig } from './channels/lapor';
import { classifierOptionsOf } from './config/classifier-data';
import type { AppConfig } from './config/schema';
import type { CategoryKey } from './domain/categories';
import { REPLYABLE_CHANNELS, type ChannelKey } from './domain/channels';
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
import { collectHealth, startHealthServer, type HealthReport, type HealthSources } from './ops/health-server';
import { packageVersion } from './lib/version';
import { sweepFailedIntoDeadLetter } from './pipeline/dead-letter';
import { EffectsStage, type EffectsStageDeps } from './pipeline/effects-stage';
import { IngestSink } from './pipeline/ingest';
import { IntakeStage, type IntakeStageDeps } from './pipeline/intake-stage';
import { scheduleMonthlyRecap } from './pipeline/monthly-recap';
import { openQueues, type PipelineQueues } from './pipeline/queues';
import { Reconciler } from './pipeline/reconciler';
import { SlaSweep } from './pipeline/sla-sweep';
import { startPrivacyJobs } from './privacy/privacy-jobs';
import { SurveyService } from './survey/survey-service';
import { SurveyChatAnswers } from './pipeline/survey-chat-answer';
import { startWorkers } from './pipeline/workers';
import { ImportSummaries } from './pipeline/import-summary';
import { systemClock, type Clock } from './domain/clock';
import { MongoStore } from './store/mongo-store';
import { SqliteStore } from './store/sqlite-store';
import type { Store } from './store/store';
import type { ReplyBudget } from './outbound/reply-budget';
import { CitizenDirectory } from './pipeline/citizen-directory';
import { sharedIdentifierKeys } from './domain/citizens/identifiers';

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

/** SP4N-LAPOR!'s settings: `channels.lapor`, or its defaults (reports can come by the CLI or an HTTP source alone). */
export function laporSettings(config: AppConfig): LaporConfig {
  return config.channels.lapor ?? laporChannelSchema.parse({});
}

/** What the effects stage needs for LAPOR! reports: the manual connector (the v4 API is not public). */
export function laporEffects(config: AppConfig): NonNullable<EffectsStageDeps['lapor']> {
  return { lapor: laporSettings(config), connector: new ManualLaporConnector(), calendar: officeCalendar(config) };
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

/** Each channel's budget of automatic replies (the e-mail channel's limits), keyed by channel. */
function replyBudgets(config: AppConfig, store: Store): Partial<Record<ChannelKey, ReplyBudget>> {
  const budgets: Partial<Record<ChannelKey, ReplyBudget>> = {};
  for (const channel of CHANNEL_MODULES)
    Object.assign(budgets, channel.replyBudgets?.(channel.configOf(config), { config, store }));
  return budgets;
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

/**
 * The office's own mail (to teams and admins) alone, one connection: for a command that mails the admins
 * (the summary of `aduan import`) without the citizen channels' transports.
 */
export function createTeamTransport(config: AppConfig): Transport {
  const from = { address: config.outbound.fromAddress, name: config.outbound.fromName };
  if (config.outbound.mode === 'outbox') return new OutboxTransport(config.outbound.outboxDir, from);
  if (!config.outbound.smtp) throw new Error('outbound.mode is live but outbound.smtp is not configured');
  return new SmtpTransport({ ...config.outbound.smtp, maxConnections: 1 }, from);
}

/** A channel's history age (working days, "2d"): older records of a first read become historical tickets. */
export function historyAgeOf(config: AppConfig): (channel: ChannelKey) => string {
  return (channel) => config.history.channels[channel] ?? config.history.importOlderThan;
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

/** Citizen records as the config says (the shared/operator identifiers). */
export function citizenDirectory(config: AppConfig, store: Store): CitizenDirectory {
  return new CitizenDirectory(store, sharedIdentifierKeys(config.citizens.sharedIdentifiers).keys);
}

/**
 * The intake step (validate, thread, classify, number, queue the effects): the service's intake workers
 * run it, and `aduan intake` runs it in its own process for the record it enters.
 */
export function createIntakeStage(parts: {
  config: AppConfig;
  store: Store;
  classifier: ComplaintClassifier;
  effects: IntakeStageDeps['effects'];
  log: Logger;
  secrets: ReplySecrets;
  metrics?: IntakeStageDeps['metrics'];
  unverifiedAnswers?: IntakeStageDeps['unverifiedAnswers'];
  clock?: IntakeStageDeps['clock'];
}): IntakeStage {
  const { config, store } = parts;
  return new IntakeStage({
    store,
    citizens: citizenDirectory(config, store),
    sameProblemWindowDays: config.citizens.sameProblemWindowDays,
    statusAnswersPerHour: config.citizens.statusAnswersPerHour,
    classifier: parts.classifier,
    categories: config.categories,
    routing: routingRules(config),
    calendar: officeCalendar(config),
    staff: staffOf(config),
    effects: parts.effects,
    log: parts.log.child({ stage: 'intake' }),
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    answers: {
      answerableBy: config.staff.answerableBy,
      teams: config.teams,
      supervisorEmails: config.sla.supervisorEmails,
      unverifiedNotesPerHour: config.staff.unverifiedNotesPerTicketPerHour,
    },
    replySecrets: parts.secrets,
    ...(config.survey.enabled
      ? {
          surveyAnswers: new SurveyChatAnswers({
            store,
            survey: config.survey,
            log: parts.log.child({ stage: 'survey' }),
          }),
        }
      : {}),
    ownDomain: config.outbound.fromAddress.split('@')[1] ?? 'localhost',
    ...(parts.unverifiedAnswers ? { unverifiedAnswers: parts.unverifiedAnswers } : {}),
    reopenWindowSeconds: config.sla.reopenWindowSeconds,
    ...(parts.clock ? { clock: parts.clock } : {}),
  });
}

export interface ServiceParts {
  /** When the process started (uptime in /healthz); default: when startService is called. */
  startedAt?: number;
  /** Wait for a Redis that does not answer yet (aduan start) instead of failing at once (tests, demo). */
  waitForRedis?: boolean;
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
  /** The service's time for its decisions (tests and the demo fix it); default the system clock. */
  clock?: Clock;
}

export interface RunningService {
  store: Store;
  metrics: ServiceMetrics;
  alerts: AdminAlerts;
  queues: PipelineQueues;
  sink: IngestSink;
  channels: ChannelIntake[];
  reconciler: Reconciler;
  /** The satisfaction survey (config `survey.enabled`): its page URL and a sweep pass on demand. */
  survey?: { pageUrl: string; sweepOnce: SurveyService['sweepOnce'] };
  health(): Promise<HealthReport>;
  stop(): Promise<void>;
}

export async function startService(parts: ServiceParts): Promise<RunningService> {
  const { config, log } = parts;
  // First: live mode without the token secret refuses to start before anything is opened.
  const secrets = replySecrets(config, log);
  // What /healthz, /readyz and /metrics read: filled in as the parts come up.
  const live: { store?: Store; redis?: IORedis; queues?: PipelineQueues; channels: ChannelIntake[]; started: boolean } =
    { channels: [], started: false };
  const warnings: string[] = [];
  const healthSources: HealthSources = {
    redis: async () => {
      if (live.redis) await live.redis.ping();
      else await verifyRedis(config.redis, 1500);
    },
    store: async () => {
      if (!live.store) throw new Error('not opened yet: the service is starting');
      await live.store.ping();
    },
    channels: () => live.channels.map((c) => c.health()),
    starting: () => !live.started,
    warnings: () => warnings,
  };
  const metrics = new ServiceMetrics(
    () => live.queues,
    () => live.channels.map((c) => c.health()),
    () => live.store,
  );
  // Served from the first second, also while Redis is still away: liveness, readiness and metrics.
  const server =
    parts.health && config.service.healthPort > 0
      ? await startHealthServer({
          host: config.service.healthHost,
          port: config.service.healthPort,
          sources: healthSources,
          log,
          metrics: metrics.registry,
          token: config.service.monitoringToken,
          version: packageVersion(),
          startedAt: parts.startedAt ?? Date.now(),
        })
      : undefined;
  try {
    return await startParts(parts, { secrets, live, warnings, healthSources, metrics, server });
  } catch (error) {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    throw error;
  }
}

/**
 * Redis, once it answers: a wrong password or TLS trouble fails at once (waiting cannot fix it); a
 * server that is not there yet (compose starting both, a restart) is waited for when `wait` is set.
 */
async function reachRedis(config: AppConfig, log: Logger, wait: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await verifyRedis(config.redis);
      return;
    } catch (error) {
      const message = (error as Error).message;
      if (!wait || /password|NOAUTH|WRONGPASS|certificate|TLS|SSL/i.test(message)) throw error;
      // Said at once, then every 30 s: the operator sees why /readyz answers 503.
      if (attempt % 15 === 0) log.warn(`${message}; waiting for it (the service starts once Redis answers)`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

async function startParts(
  parts: ServiceParts,
  ctx: {
    secrets: ReplySecrets;
    live: { store?: Store; redis?: IORedis; queues?: PipelineQueues; channels: ChannelIntake[]; started: boolean };
    warnings: string[];
    healthSources: HealthSources;
    metrics: ServiceMetrics;
    server: Server | undefined;
  },
): Promise<RunningService> {
  const { config, log } = parts;
  const { secrets, live, metrics, server, healthSources } = ctx;
  const clock = parts.clock ?? systemClock;
  // One clear error (wrong password, no TLS, no server) instead of a reconnect warning every second.
  await reachRedis(config, log, parts.waitForRedis === true);
  const store = createStore(config);
  await store.init();
  live.store = store;
  const redis = createRedis(config);
  live.redis = redis;
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  live.queues = queues;
  const classifier = parts.classifier ?? createClassifier(config, parts.configDir);
  const transports = parts.transports ?? (await createTransports(config, log));
  const alertLog = log.child({ stage: 'alerts' });
  const alerts = new AdminAlerts(store, transports.team, config.alerts, alertLog);

  let channels: ChannelIntake[] = [];
  const calendar = officeCalendar(config);
  const intake = createIntakeStage({
    config,
    store,
    classifier,
    effects: queues.effects,
    log,
    metrics,
    secrets,
    unverifiedAnswers: new UnverifiedAnswerAlerts(store, alerts, config.alerts.unverifiedAnswersPerHour, alertLog),
    clock,
  });
  const survey = config.survey.enabled
    ? new SurveyService({ config, store, calendar, citizenTransports: transports.citizen, log, clock })
    : undefined;
  const effects = new EffectsStage({
    ...(survey ? { survey: survey.plans } : {}),
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
    lapor: laporEffects(config),
    citizens: citizenDirectory(config, store),
    replyBudgets: replyBudgets(config, store),
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
        clock,
        lapor: laporSettings(config),
      })
    : undefined;
  slaSweep?.start();
  const privacyJobs = startPrivacyJobs({
    config,
    store,
    alerts,
    attachmentRoots: attachmentFolders(config),
    log: log.child({ stage: 'privacy' }),
    clock,
  });
  const surveyPageUrl = await survey?.start(queues.effects);
  // Its own connection: a queue that borrows the shared client can see that client's close during start-up
  // as an unhandled error when the service stops quickly.
  const monthlyRecap = await scheduleMonthlyRecap({
    store,
    config,
    transport: transports.team,
    configDir: parts.configDir,
    log: log.child({ stage: 'recap' }),
    connection: bullConnection(config.redis, { maxRetriesPerRequest: null }),
    prefix: config.redis.prefix,
    attempts: config.pipeline.attempts,
  });

  const summaries = new ImportSummaries({ store, alerts, timeZone: config.service.timeZone, log: alertLog });
  const history = {
    calendar,
    olderThan: historyAgeOf(config),
    intake,
    summaries,
  };
  const sink = new IngestSink(store, queues.intake, log.child({ stage: 'ingest' }), metrics, history, clock);
  const deadLetterWatch = new DeadLetterWatch(queues.deadLetter, store, alerts, log.child({ stage: 'alerts' }));
  deadLetterWatch.start(config.pipeline.reconcileIntervalMs);
  channels =
    parts.channels ??
    (await createChannels({
      config,
      store,
      log,
      alerts,
      citizenTransports: transports.citizen,
      clock,
      registry: metrics.registry,
    }));
  live.channels = channels;
  if (channels.length === 0 && !parts.channels) {
    const warning =
      'no channel is enabled: nothing will be read (offline intake and ticket commands still work); ' +
      'enable one in local.yaml, e.g. channels.email.enabled: true, and run aduan check-config';
    ctx.warnings.push(warning);
    log.warn(warning);
  }
  for (const channel of channels) await channel.start(sink);
  live.started = true;

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
      privacyJobs.stop();
      await survey?.stop();
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
    ...(survey && surveyPageUrl
      ? { survey: { pageUrl: surveyPageUrl, sweepOnce: (now) => survey.sweepOnce(now) } }
      : {}),
    health: () => collectHealth(healthSources),
    stop,
  };
}
