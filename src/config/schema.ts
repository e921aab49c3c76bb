import { z } from 'zod';
import { callCenterChannelSchema } from '../channels/callcenter/config-schema';
import { emailChannelSchema } from '../channels/email/config-schema';
import { metaChannelSchema } from '../channels/meta/config-schema';
import { whatsappChannelSchema } from '../channels/whatsapp/config-schema';
import { portalChannelSchema } from '../channels/portal/config-schema';
import { laporChannelSchema } from '../channels/lapor/config-schema';
import { httpSourceConflicts } from '../channels/portal/sources';
import { CATEGORY_KEYS } from '../domain/categories';
import { citizensSchema } from './citizens-schema';
import { CHANNEL_KEYS } from '../domain/channels';
import { parseAddressRange } from '../net/outbound-http';
import { categoriesFileSchema } from './categories-schema';
import { documentNumberSchema, evaluationSchema, letterheadSchema, signatureSchema } from './recap-document-schema';
import { RETENTION_PATTERN } from '../domain/retention';
import { surveySchema } from './survey-schema';
import { insecureUrlProblems } from './transport-security';

/**
 * The one schema for config/*.yaml: types are inferred from it and validation uses it, so the two can
 * never disagree. Every object is strict: an unknown key is an error (a typo must not be ignored).
 */

const hhmmSpan = z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'expected HH:MM-HH:MM');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const categoryKey = z.enum(CATEGORY_KEYS);

export const serviceSchema = z.strictObject({
  dataDir: z
    .string()
    .min(1)
    .default('data/runtime')
    .describe('Folder for the SQLite file, attachments and other state; relative to the working directory.'),
  timeZone: z
    .string()
    .default('Asia/Jakarta')
    .describe('IANA time zone of the office: office hours, due times, dates in reports and times without an offset.'),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Least severe log level written (JSON lines on stdout); LOG_LEVEL in the environment wins.'),
  healthPort: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('GET /healthz listens here on 127.0.0.1 unless `healthHost` says otherwise; 0 disables it.'),
  healthHost: z
    .string()
    .default('127.0.0.1')
    .describe('Address /healthz and /metrics listen on; 0.0.0.0 only behind a firewall or reverse proxy.'),
  monitoringToken: z
    .string()
    .default('')
    .describe(
      'Bearer token for GET /metrics and GET /readyz (from the environment). Empty: both open. The liveness answer of /healthz (the Docker HEALTHCHECK) never needs it.',
    ),
});

export const redisSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379')
    .describe('Redis for the job queues (BullMQ); rediss:// for TLS.'),
  prefix: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('aduan')
    .describe("BullMQ key prefix: separate deployments (and test runs) on one Redis never see each other's jobs."),
  password: z
    .string()
    .optional()
    .describe(
      'Overrides a password in the URL (no URL-encoding needed); from the environment or a *_FILE. Empty: none.',
    ),
  tlsCaFile: z.string().min(1).optional().describe('rediss:// with a private CA: PEM file of that CA.'),
});

export const storeSchema = z.strictObject({
  url: z
    .preprocess(
      (value) => (value === '' || value === null ? undefined : value),
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL or nothing')
        .optional(),
    )
    .describe('Empty: embedded SQLite in dataDir. A mongodb:// or mongodb+srv:// URL: MongoDB.'),
  database: z.string().default('aduan').describe('MongoDB database name (only with a mongodb:// url).'),
});

export const pipelineSchema = z.strictObject({
  intakeConcurrency: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(30)
    .describe('Complaints taken in (stored, classified, routed) at once.'),
  effectsConcurrency: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(48)
    .describe('Outgoing effects (mail, replies, alerts) sent at once; they mostly wait on servers.'),
  attempts: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe('Attempts before a job lands in the dead-letter queue.'),
  backoffMs: z.number().int().min(10).default(2000).describe('First retry delay; doubles each attempt, with jitter.'),
  maxBackoffMs: z
    .number()
    .int()
    .min(100)
    .default(15 * 60_000)
    .describe('Longest pause between two attempts.'),
  shutdownTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(8000)
    .describe('On SIGTERM, in-flight jobs get this long to finish before they are released for the next start.'),
  reconcileIntervalMs: z
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe('How often stored-but-unfinished complaints and effects are re-queued (covers a lost Redis).'),
  reconcileAfterMs: z
    .number()
    .int()
    .min(1000)
    .default(120_000)
    .describe('Only work older than this is re-queued, so in-flight work is left alone.'),
  poison: z
    .strictObject({
      maxAttempts: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(3)
        .describe('Failed or over-budget readings before the message is quarantined.'),
      budgetMs: z
        .number()
        .int()
        .min(100)
        .default(10_000)
        .describe('Longest a channel may take to read one message before the attempt counts as failed.'),
    })
    .default({ maxAttempts: 3, budgetMs: 10_000 })
    .describe(
      'A message whose reading fails or overruns the budget this many times is quarantined (channels/poison-guard.ts).',
    ),
});

export const teamSchema = z.strictObject({
  name: z.string().min(1).describe('Name of the team as staff know it (shown in mail).'),
  emails: z.array(z.email()).min(1).describe('Where the team receives its tickets.'),
});

export const routingSchema = z.strictObject({
  triageTeam: z.string().min(1).describe('Team (a key of teams) that gets `other` and low-confidence tickets.'),
  minConfidence: z
    .number()
    .min(0)
    .max(1)
    .default(0.55)
    .describe('Below this classifier confidence the ticket goes to the triage team as `other`.'),
  minMargin: z
    .number()
    .min(0)
    .max(1)
    .default(0.2)
    .describe('A kind whose runner-up is within this much probability goes to triage, both named in the team mail.'),
  byChannel: z
    .partialRecord(z.enum(CHANNEL_KEYS), z.partialRecord(categoryKey, z.string()))
    .default({})
    .describe(
      'Per channel, a kind routed to another team than categories.yaml says, e.g. walk-in: { document-requirements: informasi }.',
    ),
});

export const calendarSchema = z.strictObject({
  hours: z
    .strictObject({
      mon: hhmmSpan.optional(),
      tue: hhmmSpan.optional(),
      wed: hhmmSpan.optional(),
      thu: hhmmSpan.optional(),
      fri: hhmmSpan.optional(),
      sat: hhmmSpan.optional(),
      sun: hhmmSpan.optional(),
    })
    .describe('Office hours per weekday (HH:MM-HH:MM); a day left out is closed. SLA targets count these hours only.'),
  holidays: z.array(isoDay).default([]).describe('Closed days (national holidays, cuti bersama), YYYY-MM-DD.'),
});

export const smtpSchema = z.strictObject({
  host: z.string().min(1).describe('SMTP server for every outgoing mail in live mode.'),
  port: z.number().int().min(1).max(65535).default(587).describe('587 (STARTTLS) or 465 (secure: true).'),
  secure: z.boolean().default(false).describe('TLS from the first byte (port 465).'),
  user: z.string().optional().describe('Login name; absent: no login.'),
  password: z
    .string()
    .optional()
    .describe('Login password; from ${SMTP_PASSWORD} or a *_FILE, never written in a file.'),
  requireTLS: z
    .boolean()
    .optional()
    .describe('STARTTLS required before login and mail; absent: required unless `secure` or the host is loopback.'),
  maxConnections: z
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'Connections kept open to the server; absent: pipeline.effectsConcurrency, so no send waits for a connection. ' +
        'Lower it for a server that limits connections per client (sends then wait their turn).',
    ),
});

export const outboundSchema = z.strictObject({
  mode: z
    .enum(['outbox', 'live'])
    .default('outbox')
    .describe(
      '`outbox`: every outgoing message is written to outboxDir (demo, dry runs); `live`: real transports (needs smtp).',
    ),
  outboxDir: z
    .string()
    .default('outbox')
    .describe('Folder for outgoing messages in outbox mode; relative to the working directory.'),
  fromAddress: z
    .email()
    .default('pengaduan@disdukcapil.dairikab.go.id')
    .describe('Sender of our own mail; its domain is used for Message-IDs.'),
  fromName: z
    .string()
    .default('Layanan Pengaduan Disdukcapil Kabupaten Dairi')
    .describe('Display name of our own mail.'),
  maskNikInTeamMail: z.boolean().default(true).describe('Mask NIK/KK in team mail except the last four digits.'),
  smtp: smtpSchema.optional().describe('The SMTP server; required when mode is live.'),
});

/** Records already normalized (JSON lines), e.g. the demo samples; each file is read once per line. */
export const jsonlChannelSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Read the folder.'),
  folder: z.string().min(1).describe('Folder of *.jsonl files to read.'),
});

export const alertsSchema = z.strictObject({
  adminEmails: z
    .array(z.email())
    .default([])
    .describe('Who hears about a failing channel or a growing dead-letter queue.'),
  repeatAfterMinutes: z
    .number()
    .int()
    .min(1)
    .default(24 * 60)
    .describe('The same alert is not repeated within this many minutes while the problem lasts.'),
  unverifiedAnswersPerHour: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe(
      'Refused (unverified) staff answers: at most one alert per sender per hour and this many in all per hour.',
    ),
});

export const slaSchema = z.strictObject({
  timers: z
    .boolean()
    .default(true)
    .describe('Reminder and escalation mails; off, tickets still get due times and reports still count breaches.'),
  checkEverySeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe('How often open tickets are checked for a due reminder or escalation (each may come this much late).'),
  reminderAtShare: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.8)
    .describe('The team is reminded once this share of the target time has passed without a resolution.'),
  supervisorEmails: z
    .array(z.email())
    .default([])
    .describe("Told once when a ticket is overdue; empty: the team's own address is used."),
  reopenWindowSeconds: z
    .number()
    .int()
    .min(1)
    .default(7 * 24 * 60 * 60)
    .describe(
      "A citizen's message within this many seconds of the resolution reopens the ticket (default 7 days); " +
        'later, it is a new ticket. Thanks alone never reopens.',
    ),
});

export const staffSchema = z.strictObject({
  addresses: z
    .array(z.email())
    .default([])
    .describe(
      "Who may answer citizens by replying to ticket mail, besides every team address and supervisor. Mail to a ticket's reply address from anyone else is a follow-up, never a solution.",
    ),
  domains: z
    .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a domain like disdukcapil.dairikab.go.id'))
    .default([])
    .describe('Whole mail domains of staff (e.g. disdukcapil.dairikab.go.id).'),
  answerableBy: z
    .enum(['team', 'any-staff'])
    .default('team')
    .describe(
      "team: only the ticket's current team and the supervisors answer its citizen; any-staff: every staff address.",
    ),
  replySecret: z
    .string()
    .refine((s) => s === '' || s.length >= 32, 'at least 32 characters (e.g. openssl rand -hex 32)')
    .default('')
    .describe(
      'Signs reply-address and Message-ID tokens (from ADUAN_REPLY_SECRET); live mode refuses to start without it.',
    ),
  unverifiedNotesPerTicketPerHour: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe(
      'Unverified (refused) staff answers kept as notes per ticket per hour; more are only logged and alerted.',
    ),
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
    .default('')
    .describe(
      'Earlier secrets, comma-separated: their tokens keep working after a rotation (each as long as the current).',
    ),
});

export const reportsSchema = z.strictObject({
  monthlyRecipients: z
    .array(z.email())
    .default([])
    .describe("Receive the previous month's recap by mail on the 1st; empty: no monthly mail."),
  monthlyAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('07:00')
    .describe('Time of day (office time zone) the monthly recap is sent.'),
  letterhead: letterheadSchema.default(letterheadSchema.parse({})).describe('Letterhead of the printed recap.'),
  documentNumber: documentNumberSchema,
  signature: signatureSchema
    .default(signatureSchema.parse({}))
    .describe('The "Mengetahui, Kepala Dinas … NIP …" block at the end of the recap.'),
  evaluation: evaluationSchema
    .default(evaluationSchema.parse({}))
    .describe('Recurring problems in the recap: what counts as rising, what as a repeat.'),
});

/** Every outbound HTTP source (portal, reply webhooks, SMS gateway, Graph API): what an admin may loosen. */
export const outboundHttpSchema = z.strictObject({
  allowInsecureHttp: z
    .boolean()
    .default(false)
    .describe('Allow http:// to hosts that are not loopback (credentials and complaints travel unencrypted).'),
  allowedAddresses: z
    .array(z.string().refine((v) => parseAddressRange(v) !== undefined, 'expected an IP address or CIDR range'))
    .default([])
    .describe('Private or loopback addresses/ranges that may be connected to, e.g. an internal gateway 10.20.0.5.'),
});

export const classifierSchema = z.strictObject({
  extraExamples: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "The office's own labelled complaints (JSON lines {id, text, category, subject?, channel?}), files or folders of *.jsonl, relative to the config folder; trained on together with the examples shipped with aduan.",
    ),
});

const retentionSpan = z.string().regex(RETENTION_PATTERN, 'expected a span like 2y, 18mo, 26w or 730d');

/**
 * UU No. 27/2022 (PDP): personal data kept no longer than needed, and data-subject requests answered.
 * The spans are the admin's to set, aligned with the office's archive retention schedule (JRA).
 */
export const privacySchema = z.strictObject({
  retention: z
    .strictObject({
      default: retentionSpan
        .default('2y')
        .describe(
          "How long after its resolution a ticket keeps its personal data (2y, 18mo, 26w, 730d); set it to the office's archive retention schedule.",
        ),
      byKind: z
        .partialRecord(z.enum(CATEGORY_KEYS), retentionSpan)
        .default({})
        .describe('Per complaint kind (a key of categories.yaml): its own span instead of the default.'),
      runAt: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
        .default('02:00')
        .describe('Time of day (office time zone) after which the nightly anonymization runs, once a day.'),
      enabled: z
        .boolean()
        .default(true)
        .describe('Anonymize tickets past retention every night; off only while the schedule is being decided.'),
    })
    .default({ default: '2y', byKind: {}, runAt: '02:00', enabled: true })
    .describe('Retention of personal data on resolved tickets.'),
  requests: z
    .strictObject({
      alertBeforeHours: z
        .number()
        .int()
        .min(1)
        .max(71)
        .default(24)
        .describe('Admins are alerted when an open data-subject request is this close to its 72-hour deadline.'),
    })
    .default({ alertBeforeHours: 24 })
    .describe('Data-subject requests (aduan citizen …): answered within 3×24 hours of calendar time.'),
});

const workingDays = z.string().regex(/^[1-9]\d*d$/, 'expected working days like 2d');

/**
 * First reads of a source (first start of a channel, a new folder or mailbox, `aduan import`): records older
 * than this many working days become historical tickets (counted, never answered, routed or escalated).
 */
export const historySchema = z.strictObject({
  importOlderThan: workingDays
    .default('2d')
    .describe('Records older than this many working days (e.g. 2d) on a first read become historical tickets.'),
  channels: z
    .partialRecord(z.enum(CHANNEL_KEYS), workingDays)
    .default({})
    .describe('Per channel key (call-center, email, perkebbas …): its own age.'),
});

export const channelsSchema = z
  .strictObject({
    samples: jsonlChannelSchema
      .optional()
      .describe('Already-normalized records (JSON lines) read from a folder, e.g. the demo samples.'),
    meta: metaChannelSchema
      .optional()
      .describe('Facebook Page Messenger and the linked Instagram inbox over the Graph API.'),
    email: emailChannelSchema
      .optional()
      .describe('IMAP mailboxes (IDLE + polling); replies and team mail go out over outbound.smtp.'),
    perkebbas: portalChannelSchema
      .optional()
      .describe('Perkebbas (or any HTTP JSON source): configurable poller, signed push endpoint, reply endpoint.'),
    callCenter: callCenterChannelSchema
      .optional()
      .describe('Call-center logs (CSV / JSON lines) in a watched folder; optional SMS/WhatsApp gateway for replies.'),
    whatsapp: whatsappChannelSchema
      .optional()
      .describe('WhatsApp Business Cloud API: the office numbers under one Meta app (webhook in, Cloud API out).'),
    lapor: laporChannelSchema
      .optional()
      .describe(
        "SP4N-LAPOR!: the Admin Penghubung, LAPOR!'s clock and reminders, and the notification mailbox (docs/channel-lapor.md).",
      ),
    http: z
      .array(portalChannelSchema)
      .optional()
      .describe(
        'More HTTP JSON sources side by side (e.g. a regional SP4N-LAPOR! export), each with its own name, channel key, credentials, cursor and mapping.',
      ),
  })
  .superRefine((channels, ctx) => {
    for (const { path, message } of httpSourceConflicts(channels)) ctx.addIssue({ code: 'custom', path, message });
    // The call-center's WhatsApp opt-in sends the WhatsApp channel's template: both must be there.
    const callCenter = channels.callCenter;
    if (callCenter?.enabled && callCenter.whatsappInitialResponse) {
      const wa = channels.whatsapp;
      const missing = !wa?.enabled
        ? 'needs channels.whatsapp enabled'
        : !wa.templates.callCenterReceived
          ? 'needs channels.whatsapp.templates.callCenterReceived (an approved UTILITY template)'
          : undefined;
      if (missing) ctx.addIssue({ code: 'custom', path: ['callCenter', 'whatsappInitialResponse'], message: missing });
    }
  });

export const configSchema = z
  .strictObject({
    service: serviceSchema
      .default(serviceSchema.parse({}))
      .describe('The process itself: state folder, time zone, logging, health endpoint.'),
    redis: redisSchema.default(redisSchema.parse({})).describe('The Redis server of the job queues.'),
    store: storeSchema.default(storeSchema.parse({})).describe('Where tickets and their history are kept.'),
    pipeline: pipelineSchema.default(pipelineSchema.parse({})).describe('Workers, retries and the reconciler.'),
    calendar: calendarSchema.describe('Office hours and holidays of the SLA clock.'),
    teams: z
      .record(z.string().regex(/^[a-z0-9-]+$/), teamSchema)
      .describe('Teams that receive routed tickets, by key (lowercase letters, digits, hyphens).'),
    routing: routingSchema.describe('Which team gets a ticket besides what categories.yaml says.'),
    outbound: outboundSchema
      .default(outboundSchema.parse({}))
      .describe('How outgoing messages leave: written to a folder or sent.'),
    alerts: alertsSchema
      .default(alertsSchema.parse({}))
      .describe('Admin alerts about failing channels and the dead-letter queue.'),
    sla: slaSchema.default(slaSchema.parse({})).describe('Reminders and escalations on the SLA clock.'),
    staff: staffSchema
      .default(staffSchema.parse({}))
      .describe('Who counts as staff when answering by mail, and the reply-token secret.'),
    reports: reportsSchema.default(reportsSchema.parse({})).describe('The monthly recap.'),
    outboundHttp: outboundHttpSchema
      .default(outboundHttpSchema.parse({}))
      .describe('What outbound HTTP (portal, gateways, Graph API) may reach.'),
    channels: channelsSchema.default({}).describe('The channels complaints arrive on.'),
    classifier: classifierSchema
      .default(classifierSchema.parse({}))
      .describe('What the classifier learns from besides the shipped examples.'),
    categories: categoriesFileSchema.shape.categories.describe('Loaded from config/categories.yaml.'),
    integrity: categoriesFileSchema.shape.integrity.describe('Loaded from config/categories.yaml.'),
    history: historySchema
      .default(historySchema.parse({}))
      .describe('First reads of a source: which old records become historical tickets.'),
    privacy: privacySchema
      .default(privacySchema.parse({}))
      .describe('Personal data (UU PDP): retention after resolution and data-subject requests (docs/privacy.md).'),
    survey: surveySchema
      .default(surveySchema.parse({}))
      .describe(
        'The satisfaction survey (SKM): invitation after a resolved complaint, the public page, the questions.',
      ),
    citizens: citizensSchema
      .default(citizensSchema.parse({}))
      .describe('One citizen across channels: shared identifiers, and when a repeated complaint joins the open one.'),
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
