import { z } from 'zod';

/**
 * `channels.whatsapp`: the office's numbers on the WhatsApp Business Cloud API, all under one Meta app
 * (one webhook callback, one app secret, one system-user token). Each inbound message is routed to its
 * number by `metadata.phone_number_id`; replies go out from the number the citizen wrote to.
 */

const numberSchema = z.strictObject({
  phoneNumberId: z.string().regex(/^\d+$/, 'expected the numeric phone number id').describe('Phone number id (Meta).'),
  displayPhoneNumber: z.string().default('').describe('The number as citizens know it, e.g. 0812-3238-3434.'),
});

const templateSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'expected an approved template name (lowercase, digits, _)')
    .describe('Approved UTILITY template name.'),
  language: z.string().default('id').describe('Template language code.'),
  /** `{{1}}`… of the body, in order; `ticketNumber` is replaced by the ticket's number. */
  parameters: z
    .array(z.enum(['ticketNumber']))
    .default(['ticketNumber'])
    .describe('Body parameters in order ({{1}}, {{2}}…); ticketNumber is the ticket number.'),
});

const webhookSchema = z.strictObject({
  host: z.string().default('127.0.0.1').describe('Listen address (behind the HTTPS reverse proxy).'),
  port: z.number().int().min(0).max(65535).default(8082).describe('Listen port.'),
  path: z
    .string()
    .regex(/^\//, 'expected a path starting with /')
    .default('/webhooks/whatsapp')
    .describe('Callback path registered in the Meta app.'),
  verifyToken: z.string().default('').describe('Token Meta sends in hub.verify_token.'),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('Larger webhook bodies are refused with 413.'),
});

const MB = 1024 * 1024;
const mediaSchema = z.strictObject({
  maxBytes: z
    .strictObject({
      image: z
        .number()
        .int()
        .positive()
        .default(5 * MB),
      document: z
        .number()
        .int()
        .positive()
        .max(20 * MB)
        .default(20 * MB),
      audio: z
        .number()
        .int()
        .positive()
        .default(16 * MB),
      video: z
        .number()
        .int()
        .positive()
        .default(16 * MB),
      sticker: z
        .number()
        .int()
        .positive()
        .default(512 * 1024),
    })
    .default({ image: 5 * MB, document: 20 * MB, audio: 16 * MB, video: 16 * MB, sticker: 512 * 1024 })
    .describe('Largest file kept per media type (Meta: image 5 MB, audio/video 16 MB, sticker 500 KB).'),
  hosts: z
    .array(z.string().min(1))
    .default(['lookaside.fbsbx.com'])
    .describe('Hosts a media URL may point to (besides graphBaseUrl); any other is refused.'),
  retryDelaysMs: z
    .array(z.number().int().min(10))
    .min(1)
    .default([2_000, 10_000, 60_000, 300_000, 1_800_000, 7_200_000])
    .describe('Pauses between download attempts; the last one repeats until the media id expires (7 days).'),
});

export const whatsappChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Read and answer WhatsApp messages.'),
    graphBaseUrl: z.url().default('https://graph.facebook.com').describe('Graph API origin.'),
    graphVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, 'expected a Graph API version like v24.0')
      .default('v24.0')
      .describe('Graph API version of every call.'),
    requestTimeoutMs: z.number().int().min(100).default(15_000).describe('Timeout of one Cloud API call.'),
    accessToken: z.string().default('').describe('System-user token (set WHATSAPP_ACCESS_TOKEN).'),
    appSecret: z.string().default('').describe('Meta app secret: the webhook signature key (set WHATSAPP_APP_SECRET).'),
    numbers: z.array(numberSchema).default([]).describe('The office numbers under this app.'),
    callCenterNumberId: z
      .string()
      .regex(/^\d+$/, 'expected the numeric phone number id')
      .optional()
      .describe('The number that sends the call-center initial response; default the first number.'),
    webhook: webhookSchema.default(webhookSchema.parse({})).describe('The webhook receiver.'),
    media: mediaSchema.default(mediaSchema.parse({})).describe('Downloading the files citizens send.'),
    templates: z
      .strictObject({
        answerReady: templateSchema
          .optional()
          .describe('Sent outside the 24-hour window to announce that an answer is ready.'),
        received: templateSchema.optional().describe('Sent outside the 24-hour window instead of the first response.'),
        callCenterReceived: templateSchema
          .optional()
          .describe(
            'The call-center initial response to a caller on a mobile number who consented (channels.callCenter.whatsappInitialResponse).',
          ),
        survey: templateSchema
          .optional()
          .describe(
            'Sent outside the 24-hour window to invite to the satisfaction survey; its URL button ends in {{1}} (the link token).',
          ),
      })
      .default({})
      .describe('Approved UTILITY templates per purpose.'),
  })
  .superRefine((wa, ctx) => {
    if (!wa.enabled) return;
    const require = (ok: boolean, path: string[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    require(wa.accessToken !== '', ['accessToken'], 'required when enabled (set WHATSAPP_ACCESS_TOKEN)');
    require(wa.appSecret !== '', ['appSecret'], 'required when enabled (set WHATSAPP_APP_SECRET)');
    require(wa.webhook.verifyToken !== '', ['webhook', 'verifyToken'], 'required when enabled');
    require(wa.numbers.length > 0, ['numbers'], 'at least one number when enabled');
    const ids = wa.numbers.map((n) => n.phoneNumberId);
    require(new Set(ids).size === ids.length, ['numbers'], 'each phoneNumberId once');
    require(wa.callCenterNumberId === undefined || ids.includes(wa.callCenterNumberId), [
      'callCenterNumberId',
    ], 'must be one of numbers[].phoneNumberId');
  });

export type WhatsAppConfig = z.infer<typeof whatsappChannelSchema>;
export type WhatsAppTemplate = z.infer<typeof templateSchema>;
