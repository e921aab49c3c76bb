import { z } from 'zod';
import { CHANNEL_KEYS } from '../../domain/channels';
import { PIPELINE_META_KEYS } from '../../domain/complaint';
import { httpAuthSchema, messageWebhookSchema, missingCredential } from '../shared/message-webhook-schema';

/**
 * `channels.perkebbas`: any HTTP JSON source of complaints. Perkebbas has no published API, so
 * nothing here assumes its shape: endpoint, authentication, incremental parameter, pagination and
 * the field mapping are all configuration.
 */

const dotPath = z.string().max(300);

/** Dot paths (e.g. `pelapor.telepon`, `items[0].id`) into one source record. */
export const recordMappingSchema = z.strictObject({
  sourceId: dotPath.min(1).describe("Dot path of the record's own id (what duplicates are recognised by)."),
  receivedAt: dotPath.min(1).describe('Dot path of the time the citizen sent it.'),
  arrivedAt: dotPath
    .optional()
    .describe(
      "Dot path of the time the record reached the office, when the source keeps one apart from receivedAt (a portal that forwards or disposes records to offices): a first read's history age counts from it.",
    ),
  text: dotPath
    .min(1)
    .describe(
      'Required in every record (null counts as empty): a missing field is schema drift and quarantines the record.',
    ),
  subject: dotPath.optional().describe('Dot path of the subject.'),
  name: dotPath.optional().describe("Dot path of the citizen's name."),
  phone: dotPath.optional().describe('Dot path of the phone number (normalized to +62…).'),
  email: dotPath.optional().describe('Dot path of the e-mail address.'),
  nik: dotPath.optional().describe('Dot path of the NIK.'),
  kk: dotPath.optional().describe('Dot path of the KK number.'),
  threadId: dotPath
    .optional()
    .describe('Dot path of a conversation id: records sharing it are follow-ups of one ticket.'),
  replyTo: dotPath.optional().describe("Whom a reply addresses (becomes {{to}}); default: the record's sourceId."),
  meta: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
        .refine((key) => !PIPELINE_META_KEYS.has(key), {
          message: 'reserved: the pipeline reads this meta key as an instruction; choose another name',
        }),
      dotPath.min(1),
    )
    .default({})
    .describe(
      `Extra facts kept on the ticket: meta key → dot path. Reserved keys (set only by channel code): ${[...PIPELINE_META_KEYS].join(', ')}.`,
    ),
});
export type RecordMapping = z.infer<typeof recordMappingSchema>;

const incrementalSchema = z.discriminatedUnion('kind', [
  /** Every poll asks for everything; duplicates are recognised by sourceId. */
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('since'),
    param: z.string().min(1).describe('Query parameter carrying the newest time already taken in, e.g. updated_since.'),
    format: z
      .enum(['iso', 'epoch-seconds', 'epoch-ms'])
      .default('iso')
      .describe('How the since-time is written in the query.'),
    timeField: dotPath
      .optional()
      .describe('Dot path of the time that moves the watermark; default: mapping.receivedAt.'),
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .default(60)
      .describe(
        'Asks again from this much before the watermark (late commits, coarse clocks); repeats are duplicates.',
      ),
    backfillHours: z.number().min(0).default(72).describe('First start only: how far back to ask.'),
  }),
  z.strictObject({
    kind: z.literal('cursor'),
    param: z.string().min(1).describe('Query parameter carrying the cursor, e.g. cursor.'),
    responsePath: dotPath.min(1).describe('Dot path of the next cursor in the response, e.g. meta.next_cursor.'),
  }),
]);

const paginationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('page'),
    param: z.string().min(1).default('page').describe('Query parameter of the page number.'),
    firstPage: z.number().int().min(0).default(1).describe('Number of the first page.'),
    sizeParam: z.string().default('per_page').describe('Empty: the page size is not sent.'),
    size: z.number().int().min(1).max(1000).default(50).describe('A page with fewer records is the last one.'),
  }),
  z.strictObject({
    kind: z.literal('next-link'),
    responsePath: dotPath
      .default('')
      .describe('Dot path of the next page\'s URL in the response; empty: the `Link: <…>; rel="next"` header.'),
  }),
]);

const pollSchema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\//, 'expected an http(s):// URL')
    .describe('Endpoint that lists complaints (https:// unless loopback).'),
  query: z.record(z.string(), z.string()).default({}).describe('Fixed query parameters sent with every request.'),
  intervalMs: z.number().int().min(50).default(60_000).describe('Pause between two polls.'),
  timeoutMs: z.number().int().min(100).default(15_000).describe('Longest wait for one answer.'),
  recordsPath: dotPath
    .default('data')
    .describe('Dot path of the array of records in the response; empty: the response is the array.'),
  incremental: incrementalSchema
    .default({ kind: 'none' })
    .describe("How only new records are asked for: none, since (a time parameter) or cursor (the portal's cursor)."),
  pagination: paginationSchema
    .default({ kind: 'none' })
    .describe('How the answer is paged: none, page (numbers), next-link (a URL in the answer or the Link header).'),
  maxPagesPerPoll: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('A runaway chain of pages stops here; the rest follows on the next poll.'),
  backoffMs: z
    .number()
    .int()
    .min(10)
    .default(5_000)
    .describe('After 429/5xx/network errors: first pause (unless Retry-After says), doubled each time, capped.'),
  maxBackoffMs: z
    .number()
    .int()
    .min(10)
    .default(15 * 60_000)
    .describe('Longest pause after repeated 429/5xx/network errors.'),
  recheckAfterFailureMs: z
    .number()
    .int()
    .min(10)
    .default(30 * 60_000)
    .describe('After 401/403 or a response of the wrong shape (needs a person): try again this often.'),
});

const webhookSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Receive pushed records.'),
  host: z.string().default('127.0.0.1').describe('Address the receiver listens on (behind the HTTPS reverse proxy).'),
  port: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8082)
    .describe('Port the receiver listens on; each source needs its own.'),
  path: z
    .string()
    .regex(/^\//, 'expected a path starting with /')
    .default('/webhooks/perkebbas')
    .describe('Path the portal POSTs to.'),
  secret: z.string().default('').describe('Shared secret of the HMAC-SHA256 over the raw body.'),
  signatureHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .default('X-Signature')
    .describe('Header carrying the signature: hex or base64, optionally prefixed `sha256=`.'),
  signatureEncoding: z.enum(['hex', 'base64']).default('hex').describe('How the signature is written: hex or base64.'),
  recordsPath: dotPath
    .default('')
    .describe('Dot path of the records in a pushed body; empty: the body is one record or an array of records.'),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe('Larger pushed bodies are refused (413).'),
});

export const portalChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Take complaints from this source.'),
    channel: z.enum(CHANNEL_KEYS).default('perkebbas').describe('The channel key the records belong to.'),
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('perkebbas')
      .describe('Shown in /healthz; keys the cursor and admin alerts.'),
    timeZone: z
      .string()
      .optional()
      .describe('How times without an offset are read and how d/m/y dates are ordered; default: service.timeZone.'),
    dateOrder: z
      .enum(['dmy', 'mdy', 'ymd'])
      .default('dmy')
      .describe('How 01/02/2026 is read: day first (dmy), month first (mdy) or year first (ymd).'),
    auth: httpAuthSchema
      .default({ kind: 'none' })
      .describe(
        'Credentials of poll requests: none, bearer (token), basic (username, password) or api-key (header, value).',
      ),
    poll: pollSchema.optional().describe('Pull: absent when the portal only pushes.'),
    webhook: webhookSchema.default(webhookSchema.parse({})).describe('Push: the portal POSTs signed records.'),
    mapping: recordMappingSchema.describe('Where each complaint field is in one source record.'),
    reply: messageWebhookSchema
      .optional()
      .describe('Where the initial response and staff solutions are POSTed; absent: no replies on this channel.'),
  })
  .superRefine((portal, ctx) => {
    if (!portal.enabled) return;
    for (const [path, auth] of [
      [['auth'], portal.auth],
      [['reply', 'auth'], portal.reply?.auth],
    ] as const) {
      const problem = auth && missingCredential(auth);
      if (problem) ctx.addIssue({ code: 'custom', path: [...path], message: problem });
    }
    if (!portal.poll && !portal.webhook.enabled)
      ctx.addIssue({ code: 'custom', path: ['poll'], message: 'enabled, but neither poll nor webhook is configured' });
    if (portal.webhook.enabled && portal.webhook.secret.length < 16) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook', 'secret'],
        message: 'the webhook needs a shared secret of at least 16 characters',
      });
    }
    if (portal.poll?.incremental.kind === 'cursor' && portal.poll.pagination.kind !== 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['poll', 'pagination'],
        message: 'with a cursor the cursor pages; set pagination.kind: none',
      });
    }
  });
export type PortalConfig = z.infer<typeof portalChannelSchema>;
export type PortalPollConfig = z.infer<typeof pollSchema>;
export type PortalWebhookConfig = z.infer<typeof webhookSchema>;
