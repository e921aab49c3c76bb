import { z } from 'zod';

/**
 * `channels.meta`: one Facebook Page (Messenger) and its linked Instagram professional account, read
 * and answered with the Page access token over the Graph API. Polling always runs when enabled (it is
 * also the reconciliation behind webhooks); the webhook receiver is optional.
 */

const pollingSchema = z.strictObject({
  /** Pause between two passes over the conversations. */
  intervalMs: z.number().int().min(50).default(60_000),
  /**
   * Calls per second per account. Meta allows 2 for the Conversations API; 1.6 leaves room for network and
   * event-loop jitter, which can bring two calls spaced 500 ms apart closer together when they arrive.
   */
  callsPerSecond: z.number().positive().max(50).default(1.6),
  /** Usage (X-App-Usage / X-Business-Use-Case-Usage, in %) from which calls are spaced out further. */
  slowDownAtPercent: z.number().min(1).max(100).default(80),
  /** On the very first pass, messages up to this old are taken in (nothing older is backfilled). */
  backfillHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(72),
  pageSize: z.number().int().min(1).max(100).default(25),
  /** First pause after a rate-limit error without a regain time; doubles while it repeats. */
  rateLimitPauseMs: z.number().int().min(10).default(60_000),
  maxRateLimitPauseMs: z
    .number()
    .int()
    .min(10)
    .default(60 * 60_000),
  /** After a token or permission error the channel stops; it tries once again this often. */
  authRecheckMinutes: z.number().min(0.001).default(30),
});

const sendingSchema = z.strictObject({
  /**
   * Send API calls per second per account: a budget of its own, apart from conversation reads (Meta allows
   * 300/s per Page or Instagram account for text, 10/s for audio and video uploads).
   */
  callsPerSecond: z.number().positive().max(300).default(50),
});

const webhookSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Behind a TLS-terminating reverse proxy: Meta only calls HTTPS URLs with a valid certificate. */
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8081),
  path: z.string().regex(/^\//, 'expected a path starting with /').default('/webhooks/meta'),
  verifyToken: z.string().default(''),
});

export const metaChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    graphBaseUrl: z.url().default('https://graph.facebook.com'),
    graphVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'expected a Graph API version like v24.0')
      .default('v24.0'),
    requestTimeoutMs: z.number().int().min(100).default(15_000),
    /** Numeric id of the Facebook Page. */
    pageId: z.string().regex(/^\d*$/, 'expected the numeric Page id').default(''),
    pageAccessToken: z.string().default(''),
    /** When set: appsecret_proof on every call, and the key for webhook signatures. */
    appSecret: z.string().default(''),
    /**
     * Our Meta app's id: an echo (`is_echo`) sent by another app (Meta Business Suite, the Instagram app) is a staff
     * answer typed in the Page inbox. Empty: every echo is taken for our own.
     */
    appId: z.string().regex(/^\d*$/, 'expected the numeric app id').default(''),
    /**
     * Apps whose echoes are staff answers (the Page inbox of Meta Business Suite; its id is widely cited as
     * 263902037430900 for the handover protocol, not confirmed from Meta's own pages here). Echoes of other apps (instant and away replies, bots) are
     * recorded as notes and never resolve a ticket. Empty: any app other than ours counts as the inbox.
     */
    inboxAppIds: z.array(z.string().regex(/^\d+$/, 'expected numeric app ids')).max(20).default([]),
    /** Staff replies may use the HUMAN_AGENT tag (up to 7 days) only once App Review approved it. */
    humanAgentTagApproved: z.boolean().default(false),
    messenger: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    instagram: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Id of the Instagram professional account linked to the Page. */
        accountId: z.string().regex(/^\d*$/, 'expected the numeric Instagram account id').default(''),
      })
      .default({ enabled: false, accountId: '' }),
    polling: pollingSchema.default(pollingSchema.parse({})),
    webhook: webhookSchema.default(webhookSchema.parse({})),
    sending: sendingSchema.default(sendingSchema.parse({})),
  })
  .superRefine((meta, ctx) => {
    if (!meta.enabled) return;
    const require = (ok: boolean, path: string[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    require(meta.pageId !== '', ['pageId'], 'required when channels.meta is enabled');
    require(meta.pageAccessToken !== '', [
      'pageAccessToken',
    ], 'required when channels.meta is enabled (set META_PAGE_ACCESS_TOKEN)');
    require(!meta.instagram.enabled || meta.instagram.accountId !== '', [
      'instagram',
      'accountId',
    ], 'required when instagram is enabled');
    require(!meta.webhook.enabled || meta.appSecret !== '', [
      'appSecret',
    ], 'required when the webhook is enabled (signatures)');
    require(!meta.webhook.enabled || meta.webhook.verifyToken !== '', [
      'webhook',
      'verifyToken',
    ], 'required when the webhook is enabled');
  });

export type MetaConfig = z.infer<typeof metaChannelSchema>;
