import { z } from 'zod';

/**
 * The configuration of an HTTP endpoint that messages are POSTed to (the portal's reply endpoint, the
 * call-center's SMS/WhatsApp gateway) and of the credentials HTTP sources are read with.
 */

export const httpAuthSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('bearer'), token: z.string() }),
  z.strictObject({ kind: z.literal('basic'), username: z.string(), password: z.string() }),
  z.strictObject({
    kind: z.literal('api-key'),
    /** e.g. X-API-Key */
    header: z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name'),
    value: z.string(),
  }),
]);
export type HttpAuth = z.infer<typeof httpAuthSchema>;

/** Empty credentials (an unset environment variable); checked only for enabled channels. */
export function missingCredential(auth: HttpAuth): string | undefined {
  if (auth.kind === 'bearer' && !auth.token) return 'bearer token is empty (set it through an environment variable)';
  if (auth.kind === 'basic' && !auth.username) return 'basic auth username is empty';
  if (auth.kind === 'api-key' && !auth.value) return 'API key is empty (set it through an environment variable)';
  return undefined;
}

/** Placeholders a message template may use. */
export const MESSAGE_PLACEHOLDERS = [
  'to',
  'text',
  'subject',
  'messageId',
  'ticketNumber',
  'purpose',
  'channel',
] as const;

function unknownPlaceholders(value: unknown): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)]
      .map((m) => m[1] ?? '')
      .filter((name) => !(MESSAGE_PLACEHOLDERS as readonly string[]).includes(name));
  }
  if (Array.isArray(value)) return value.flatMap(unknownPlaceholders);
  if (value && typeof value === 'object') return Object.values(value).flatMap(unknownPlaceholders);
  return [];
}

/** Where a message (initial response, staff solution, SMS) is POSTed; used by the portal and the call-center gateway. */
export const messageWebhookSchema = z
  .strictObject({
    /** May contain placeholders, e.g. https://portal/api/pengaduan/{{to}}/tanggapan (values are URL-encoded). */
    url: z.string().regex(/^https?:\/\//, 'expected an http(s):// URL'),
    method: z.enum(['POST', 'PUT']).default('POST'),
    auth: httpAuthSchema.default({ kind: 'none' }),
    timeoutMs: z.number().int().min(100).default(15_000),
    /**
     * JSON body; string values may hold {{to}}, {{text}}, {{subject}}, {{messageId}}, {{ticketNumber}},
     * {{purpose}}, {{channel}}. A value that is exactly one placeholder is replaced by it as is.
     * Absent: the channel's simple default body.
     */
    bodyTemplate: z.record(z.string(), z.unknown()).optional(),
    /** Carries the message id so the receiver can drop a repeated delivery; empty disables it. */
    idempotencyHeader: z.string().default('Idempotency-Key'),
  })
  .superRefine((hook, ctx) => {
    for (const name of unknownPlaceholders([hook.url, hook.bodyTemplate ?? {}])) {
      ctx.addIssue({
        code: 'custom',
        path: ['bodyTemplate'],
        message: `unknown placeholder {{${name}}}; allowed: ${MESSAGE_PLACEHOLDERS.join(', ')}`,
      });
    }
  });
export type MessageWebhookConfig = z.infer<typeof messageWebhookSchema>;
