import { z } from 'zod';
import { isLoopbackHost } from '../../net/outbound-http';

/** `channels.email` in config/*.yaml: IMAP accounts read for complaints, and how their mail is handled. */

export const emailAccountSchema = z
  .strictObject({
    /** Short name: /healthz shows `email:<name>/<mailbox>`; cursors and alerts are keyed by it. */
    name: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(993),
    /** tls: TLS from the first byte (993); starttls: upgrade required (143); plain: no encryption (loopback only). */
    security: z.enum(['tls', 'starttls', 'plain']).default('tls'),
    user: z.string().min(1),
    password: z.string(),
    /** Each mailbox gets its own connection (IMAP IDLE watches one mailbox at a time). */
    mailboxes: z.array(z.string().min(1)).min(1).default(['INBOX']),
    /** `security: plain` to a host that is not loopback: the password and the mail cross the network in clear. */
    allowInsecure: z.boolean().default(false),
    /** Which Authentication-Results (RFC 8601) of this mailbox's receiving server are believed. */
    senderAuth: z
      .strictObject({
        /** authserv-id(s) of the server that receives this mailbox's mail (Gmail: mx.google.com). */
        authservIds: z.array(z.string().regex(/^[A-Za-z0-9.-]+$/, 'a host name like mx.google.com')).default([]),
        /** How many headers that server adds on top (1 for Gmail; more where each check adds its own). */
        headers: z.number().int().min(1).max(5).default(1),
        /** An aligned spf=pass authenticates too (for staff domains that publish SPF but do not sign). */
        alignedSpf: z.boolean().default(false),
        /** The server adds no such header: believe the From address as it is. Staff answers become forgeable. */
        trustUnauthenticatedFrom: z.boolean().default(false),
      })
      .default({ authservIds: [], headers: 1, alignedSpf: false, trustUnauthenticatedFrom: false }),
  })
  .superRefine((account, ctx) => {
    if (account.security === 'plain' && !account.allowInsecure && !isLoopbackHost(account.host)) {
      const message = 'plain IMAP (no TLS) only to a loopback host; use tls or starttls, or set allowInsecure: true';
      ctx.addIssue({ code: 'custom', path: ['security'], message });
    }
  });
export type EmailAccountConfig = z.infer<typeof emailAccountSchema>;

const MB = 1024 * 1024;

export const emailChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    accounts: z.array(emailAccountSchema).default([]),
    /** Push through IMAP IDLE; the poll below still runs as a safety net and for servers without IDLE. */
    idle: z.boolean().default(true),
    pollIntervalMs: z.number().int().min(1000).default(60_000),
    /** After a message is durably queued: flag it \Seen and/or move it here. Default: leave the mailbox as it is. */
    markSeen: z.boolean().default(false),
    moveTo: z.string().min(1).optional(),
    /** On first start and after a UIDVALIDITY change, mail received in the last this many days is (re)read. */
    backfillDays: z.number().int().min(1).default(14),
    /** Larger messages are not downloaded; they are quarantined with their headers. */
    maxMessageBytes: z
      .number()
      .int()
      .min(MB)
      .default(50 * MB),
    attachments: z
      .strictObject({
        /** Default: <service.dataDir>/attachments/email. Files are named by their sha256. */
        folder: z.string().min(1).optional(),
        /** Larger attachments are recorded (name, type, size, sha256) with a reason but not stored. */
        maxBytes: z
          .number()
          .int()
          .min(1)
          .default(10 * MB),
      })
      .default({ maxBytes: 10 * MB }),
    /** At most this many automatic replies to one sender per window (stops loops with other robots). */
    autoReplyLimit: z
      .strictObject({
        perSender: z.number().int().min(1).default(3),
        windowMinutes: z.number().int().min(1).default(60),
        /** All senders together, per hour: forged senders in bulk cannot make us a backscatter source. */
        totalPerHour: z.number().int().min(1).max(100_000).default(300),
      })
      .default({ perSender: 3, windowMinutes: 60, totalPerHour: 300 }),
    /** Mail the receiving server marked as spam gets no automatic reply (it still becomes a ticket). */
    spam: z
      .strictObject({
        flagHeader: z.string().min(1).default('X-Spam-Flag'),
        flagValue: z.string().min(1).default('YES'),
        /** Optional: a score header and the score from which mail counts as spam. */
        scoreHeader: z.string().min(1).optional(),
        scoreThreshold: z.number().optional(),
      })
      .default({ flagHeader: 'X-Spam-Flag', flagValue: 'YES' }),
    /** Our addresses besides outbound.fromAddress, team and admin addresses: mail from them gets no automatic reply. */
    ownAddresses: z.array(z.email()).default([]),
    /**
     * Senders (`portal@example.go.id`, or a whole domain as `@example.go.id`) whose machine-written mail is a
     * complaint all the same: a portal that passes citizens' reports on with Auto-Submitted or list headers.
     */
    acceptAutomatedFrom: z
      .array(z.string().regex(/^([^@\s]+@|@)[^@\s]+\.[^@\s]+$/, 'an address or @domain'))
      .default([]),
    reconnect: z
      .strictObject({
        initialDelayMs: z.number().int().min(10).default(1000),
        maxDelayMs: z
          .number()
          .int()
          .min(100)
          .default(5 * 60_000),
      })
      .default({ initialDelayMs: 1000, maxDelayMs: 5 * 60_000 }),
    /** Consecutive failed logins before the channel shows as failed and the admin is alerted (once). */
    authFailuresBeforeAlert: z.number().int().min(1).default(3),
  })
  .superRefine((email, ctx) => {
    if (email.enabled && email.accounts.length === 0)
      ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'the email channel is enabled but has no account' });
    const names = email.accounts.map((a) => a.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate)
      ctx.addIssue({ code: 'custom', path: ['accounts'], message: `account name "${duplicate}" is used twice` });
  });
export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;
