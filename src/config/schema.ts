import { z } from 'zod';
import { callCenterChannelSchema } from '../channels/callcenter/config-schema';
import { emailChannelSchema } from '../channels/email/config-schema';
import { metaChannelSchema } from '../channels/meta/config-schema';
import { portalChannelSchema } from '../channels/portal/config-schema';
import { CATEGORY_KEYS } from '../domain/categories';
import { CHANNEL_KEYS } from '../domain/channels';
import { parseAddressRange } from '../net/outbound-http';
import { categoriesFileSchema } from './categories-schema';
import { insecureUrlProblems } from './transport-security';

/**
 * The one schema for config/*.yaml: types are inferred from it and validation uses it, so the two can
 * never disagree. Every object is strict: an unknown key is an error (a typo must not be ignored).
 */

const hhmmSpan = z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'expected HH:MM-HH:MM');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const categoryKey = z.enum(CATEGORY_KEYS);

export const serviceSchema = z.strictObject({
  /** Folder for the SQLite file, attachments and other state; relative to the working directory. */
  dataDir: z.string().min(1).default('data/runtime'),
  timeZone: z.string().default('Asia/Jakarta'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** GET /healthz listens here on 127.0.0.1 unless `healthHost` says otherwise; 0 disables it. */
  healthPort: z.number().int().min(0).max(65535).default(8080),
  healthHost: z.string().default('127.0.0.1'),
  /**
   * Bearer token for GET /metrics and the detailed GET /healthz (from the environment). Empty: both open.
   * The plain liveness answer of /healthz (the Docker HEALTHCHECK) never needs it.
   */
  monitoringToken: z.string().default(''),
});

export const redisSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix: separate deployments (and test runs) on one Redis never see each other's jobs. */
  prefix: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('aduan'),
  /** Overrides a password in the URL (no URL-encoding needed); from the environment or a *_FILE. Empty: none. */
  password: z.string().optional(),
  /** rediss:// with a private CA: PEM file of that CA. */
  tlsCaFile: z.string().min(1).optional(),
});

export const storeSchema = z.strictObject({
  /** Empty: embedded SQLite in dataDir. A mongodb:// or mongodb+srv:// URL: MongoDB. */
  url: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL or nothing')
      .optional(),
  ),
  database: z.string().default('aduan'),
});

export const pipelineSchema = z.strictObject({
  intakeConcurrency: z.number().int().min(1).max(500).default(30),
  effectsConcurrency: z.number().int().min(1).max(500).default(48),
  /** Attempts before a job lands in the dead-letter queue. */
  attempts: z.number().int().min(1).max(50).default(8),
  /** First retry delay; doubles each attempt, with jitter. */
  backoffMs: z.number().int().min(10).default(2000),
  maxBackoffMs: z
    .number()
    .int()
    .min(100)
    .default(15 * 60_000),
  shutdownTimeoutMs: z.number().int().min(100).max(60_000).default(8000),
  /** How often stored-but-unfinished complaints and effects are re-queued (covers a lost Redis). */
  reconcileIntervalMs: z.number().int().min(1000).default(60_000),
  /** Only work older than this is re-queued, so in-flight work is left alone. */
  reconcileAfterMs: z.number().int().min(1000).default(120_000),
  /** A message whose reading fails or overruns the budget this many times is quarantined (channels/poison-guard.ts). */
  poison: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).default(3),
      budgetMs: z.number().int().min(100).default(10_000),
    })
    .default({ maxAttempts: 3, budgetMs: 10_000 }),
});

export const teamSchema = z.strictObject({
  name: z.string().min(1),
  emails: z.array(z.email()).min(1),
});

export const routingSchema = z.strictObject({
  triageTeam: z.string().min(1),
  /** Below this classifier confidence the ticket goes to the triage team as `other`. */
  minConfidence: z.number().min(0).max(1).default(0.45),
  /** A kind whose runner-up is within this much probability goes to triage, both named in the team mail. */
  minMargin: z.number().min(0).max(1).default(0.1),
  byChannel: z.partialRecord(z.enum(CHANNEL_KEYS), z.partialRecord(categoryKey, z.string())).default({}),
});

export const calendarSchema = z.strictObject({
  hours: z.strictObject({
    mon: hhmmSpan.optional(),
    tue: hhmmSpan.optional(),
    wed: hhmmSpan.optional(),
    thu: hhmmSpan.optional(),
    fri: hhmmSpan.optional(),
    sat: hhmmSpan.optional(),
    sun: hhmmSpan.optional(),
  }),
  holidays: z.array(isoDay).default([]),
});

export const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  /** STARTTLS required before login and mail; absent: required unless `secure` or the host is loopback. */
  requireTLS: z.boolean().optional(),
});

export const outboundSchema = z.strictObject({
  /** `outbox`: every outgoing message is written to outboxDir (demo, dry runs); `live`: real transports. */
  mode: z.enum(['outbox', 'live']).default('outbox'),
  outboxDir: z.string().default('outbox'),
  /** Sender of our own mail; its domain is used for Message-IDs. */
  fromAddress: z.email().default('pengaduan@disdukcapil.dairikab.go.id'),
  fromName: z.string().default('Layanan Pengaduan Disdukcapil Kabupaten Dairi'),
  /** Mask NIK/KK in team mail except the last four digits. */
  maskNikInTeamMail: z.boolean().default(true),
  smtp: smtpSchema.optional(),
});

/** Records already normalized (JSON lines), e.g. the demo samples; each file is read once per line. */
export const jsonlChannelSchema = z.strictObject({
  enabled: z.boolean().default(true),
  folder: z.string().min(1),
});

export const alertsSchema = z.strictObject({
  /** Who hears about a failing channel or a growing dead-letter queue. */
  adminEmails: z.array(z.email()).default([]),
  /** The same alert is not repeated within this many minutes while the problem lasts. */
  repeatAfterMinutes: z
    .number()
    .int()
    .min(1)
    .default(24 * 60),
  /** Refused (unverified) staff answers: at most one alert per sender per hour and this many in all per hour. */
  unverifiedAnswersPerHour: z.number().int().min(1).default(20),
});

export const slaSchema = z.strictObject({
  /** Reminder and escalation mails; off, tickets still get due times and reports still count breaches. */
  timers: z.boolean().default(true),
  /** How often open tickets are checked for a due reminder or escalation (each may come this much late). */
  checkEverySeconds: z.number().int().min(1).max(3600).default(30),
  /** The team is reminded once this share of the target time has passed without a resolution. */
  reminderAtShare: z.number().gt(0).lt(1).default(0.8),
  /** Told once when a ticket is overdue; empty: the team's own address is used. */
  supervisorEmails: z.array(z.email()).default([]),
});

export const staffSchema = z.strictObject({
  /**
   * Who may answer citizens by replying to ticket mail, besides every team address and supervisor.
   * Mail to a ticket's reply address from anyone else is a follow-up, never a solution.
   */
  addresses: z.array(z.email()).default([]),
  /** Whole mail domains of staff (e.g. disdukcapil.dairikab.go.id). */
  domains: z
    .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a domain like disdukcapil.dairikab.go.id'))
    .default([]),
  /** team: only the ticket's current team and the supervisors answer its citizen; any-staff: every staff address. */
  answerableBy: z.enum(['team', 'any-staff']).default('team'),
  /** Signs reply-address and Message-ID tokens (from ADUAN_REPLY_SECRET); live mode refuses to start without it. */
  replySecret: z
    .string()
    .refine((s) => s === '' || s.length >= 32, 'at least 32 characters (e.g. openssl rand -hex 32)')
    .default(''),
  /** Unverified (refused) staff answers kept as notes per ticket per hour; more are only logged and alerted. */
  unverifiedNotesPerTicketPerHour: z.number().int().min(1).max(1000).default(5),
  /** Earlier secrets, comma-separated: their tokens keep working after a rotation (each as long as the current). */
  replySecretPrevious: z
    .string()
    .refine(
      (s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .every((p) => p.length >= 32),
      'each earlier secret needs at least 32 characters (a short one makes its tokens guessable)',
    )
    .default(''),
});

export const reportsSchema = z.strictObject({
  /** Receive the previous month's recap by mail on the 1st; empty: no monthly mail. */
  monthlyRecipients: z.array(z.email()).default([]),
  /** Time of day (office time zone) the monthly recap is sent. */
  monthlyAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('07:00'),
});

/** Every outbound HTTP source (portal, reply webhooks, SMS gateway, Graph API): what an admin may loosen. */
export const outboundHttpSchema = z.strictObject({
  /** Allow http:// to hosts that are not loopback (credentials and complaints travel unencrypted). */
  allowInsecureHttp: z.boolean().default(false),
  /** Private or loopback addresses/ranges that may be connected to, e.g. an internal gateway 10.20.0.5. */
  allowedAddresses: z
    .array(z.string().refine((v) => parseAddressRange(v) !== undefined, 'expected an IP address or CIDR range'))
    .default([]),
});

const workingDays = z.string().regex(/^[1-9]\d*d$/, 'expected working days like 2d');

/**
 * First reads of a source (first start of a channel, a new folder or mailbox, `aduan import`): records older
 * than this many working days become historical tickets (counted, never answered, routed or escalated).
 */
export const historySchema = z.strictObject({
  importOlderThan: workingDays.default('2d'),
  /** Per channel key (call-center, email, perkebbas …): its own age. */
  channels: z.partialRecord(z.enum(CHANNEL_KEYS), workingDays).default({}),
});

export const channelsSchema = z.strictObject({
  samples: jsonlChannelSchema.optional(),
  /** Facebook Page Messenger and the linked Instagram inbox over the Graph API. */
  meta: metaChannelSchema.optional(),
  /** IMAP mailboxes (IDLE + polling); replies and team mail go out over outbound.smtp. */
  email: emailChannelSchema.optional(),
  /** Perkebbas (or any HTTP JSON source): configurable poller, signed push endpoint, reply endpoint. */
  perkebbas: portalChannelSchema.optional(),
  /** Call-center logs (CSV / JSON lines) in a watched folder; optional SMS/WhatsApp gateway for replies. */
  callCenter: callCenterChannelSchema.optional(),
});

export const configSchema = z
  .strictObject({
    service: serviceSchema.default(serviceSchema.parse({})),
    redis: redisSchema.default(redisSchema.parse({})),
    store: storeSchema.default(storeSchema.parse({})),
    pipeline: pipelineSchema.default(pipelineSchema.parse({})),
    calendar: calendarSchema,
    teams: z.record(z.string().regex(/^[a-z0-9-]+$/), teamSchema),
    routing: routingSchema,
    outbound: outboundSchema.default(outboundSchema.parse({})),
    alerts: alertsSchema.default(alertsSchema.parse({})),
    sla: slaSchema.default(slaSchema.parse({})),
    staff: staffSchema.default(staffSchema.parse({})),
    reports: reportsSchema.default(reportsSchema.parse({})),
    outboundHttp: outboundHttpSchema.default(outboundHttpSchema.parse({})),
    channels: channelsSchema.default({}),
    history: historySchema.default(historySchema.parse({})),
    /** Loaded from config/categories.yaml. */
    categories: categoriesFileSchema.shape.categories,
    /** Loaded from config/categories.yaml. */
    integrity: categoriesFileSchema.shape.integrity,
  })
  .superRefine((config, ctx) => {
    const teamKeys = new Set(Object.keys(config.teams));
    const check = (team: string, path: (string | number)[]) => {
      if (!teamKeys.has(team))
        ctx.addIssue({ code: 'custom', path, message: `unknown team "${team}"; teams: ${[...teamKeys].join(', ')}` });
    };
    check(config.routing.triageTeam, ['routing', 'triageTeam']);
    if (config.integrity) check(config.integrity.team, ['integrity', 'team']);
    for (const [key, category] of Object.entries(config.categories)) check(category.team, ['categories', key, 'team']);
    for (const [channel, overrides] of Object.entries(config.routing.byChannel)) {
      for (const [category, team] of Object.entries(overrides ?? {}))
        check(team ?? '', ['routing', 'byChannel', channel, category]);
    }
    for (const { path, message } of insecureUrlProblems(config)) ctx.addIssue({ code: 'custom', path, message });
  });

export type AppConfig = z.infer<typeof configSchema>;
