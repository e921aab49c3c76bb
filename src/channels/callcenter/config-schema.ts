import { z } from 'zod';
import { messageWebhookSchema, missingCredential } from '../shared/message-webhook-schema';

/**
 * `channels.callCenter`: a folder where agents (Excel, "CSV UTF-8") or the phone system write call
 * logs as CSV or JSON lines. Columns are named in config; everything else is detected or defaulted.
 */

/** A CSV column: its header text (case and spacing ignored) or its 1-based position. */
const columnRef = z.union([z.string().min(1), z.number().int().min(1)]);

export const COLUMN_KEYS = ['time', 'caller', 'agent', 'notes', 'nik', 'line', 'name', 'waConsent'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

const columnsSchema = z.strictObject({
  time: columnRef,
  /** The caller's number; normalized to +62…. */
  caller: columnRef,
  agent: columnRef,
  /** The agent's summary of the call: the complaint text. */
  notes: columnRef,
  nik: columnRef.optional(),
  /** Which of the office's lines took the call. */
  line: columnRef.optional(),
  /** The caller's name, when agents note it. */
  name: columnRef.optional(),
  /** Whether the caller agreed to be contacted on WhatsApp (ya/tidak), e.g. `wa_consent`; see whatsappInitialResponse. */
  waConsent: columnRef
    .optional()
    .describe("The caller's consent to WhatsApp (ya/tidak), e.g. wa_consent; for whatsappInitialResponse."),
});

const jsonFieldsSchema = z.strictObject({
  time: z.string().min(1),
  caller: z.string().min(1),
  agent: z.string().min(1),
  notes: z.string().min(1),
  nik: z.string().min(1).optional(),
  line: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  waConsent: z.string().min(1).optional(),
});

const filePattern = z
  .string()
  .min(1)
  .regex(/^[^/\\]+$/, 'a file name pattern, not a path');

export const callCenterChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Shown in /healthz; keys checkpoints. */
    name: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('call-center'),
    folder: z.string().min(1),
    /** File name patterns (`*` and `?`, case-insensitive). Rotated names such as calls.csv.1 need their own pattern. */
    files: z
      .strictObject({
        csv: z.array(filePattern).default(['*.csv']),
        jsonl: z.array(filePattern).default(['*.jsonl', '*.ndjson']),
        /** Never read: Excel lock files (~$…), hidden and temporary files. */
        ignore: z.array(filePattern).default(['~$*', '.*', '*.tmp']),
      })
      .default({ csv: ['*.csv'], jsonl: ['*.jsonl', '*.ndjson'], ignore: ['~$*', '.*', '*.tmp'] }),
    /** The folder is checked this often; file-system events only make a check come sooner. */
    pollIntervalMs: z.number().int().min(20).default(5000),
    csv: z
      .strictObject({
        /** `auto` picks `;`, `,`, tab or `|` from the header line (Excel writes `;` with Indonesian settings). */
        delimiter: z.enum(['auto', ';', ',', '\t', '|']).default('auto'),
        /**
         * `auto`: per file, UTF-8 ("CSV UTF-8", with or without BOM) unless its bytes are not valid UTF-8,
         * then Windows-1252 (Excel's plain "CSV" on Windows). `utf8` or `windows-1252` force one;
         * `latin1` is read as windows-1252 (the same for every character Excel writes).
         */
        encoding: z
          .enum(['auto', 'utf8', 'windows-1252', 'latin1'])
          .default('auto')
          .transform((e) => (e === 'latin1' ? 'windows-1252' : e)),
        hasHeader: z.boolean().default(true),
      })
      .default({ delimiter: 'auto', encoding: 'auto', hasHeader: true }),
    columns: columnsSchema,
    /** Dot paths for JSON-lines files; default: the same names as `columns`. */
    jsonFields: jsonFieldsSchema.optional(),
    /** Times without an offset are in this zone; default: service.timeZone. */
    timeZone: z.string().optional(),
    /** How 01/02/2026 is read: dmy (Indonesian), mdy or ymd. */
    dateOrder: z.enum(['dmy', 'mdy', 'ymd']).default('dmy'),
    /** A last line without its line break is taken only once the file has not changed for this long. */
    incompleteLineGraceMs: z
      .number()
      .int()
      .min(0)
      .default(10 * 60_000),
    /** A record (row) longer than this is cut off and quarantined. */
    maxRecordBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** SMS/WhatsApp gateway for the initial response ({to, text} POSTed); absent: the agent answered on the phone. */
    gateway: messageWebhookSchema.optional(),
    /**
     * Send the initial response over WhatsApp (template channels.whatsapp.templates.callCenterReceived) to a
     * caller on a mobile number whose log row records consent in columns.waConsent. WhatsApp requires that
     * opt-in before a business starts a conversation; without it, or for a landline, nothing goes over WhatsApp.
     */
    whatsappInitialResponse: z
      .boolean()
      .default(false)
      .describe(
        'Initial response over WhatsApp (template callCenterReceived) to consenting callers on a mobile number; needs columns.waConsent.',
      ),
  })
  .superRefine((cc, ctx) => {
    if (cc.whatsappInitialResponse && cc.columns.waConsent === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['columns', 'waConsent'],
        message: "whatsappInitialResponse needs the column that records the caller's consent",
      });
    const gatewayProblem = cc.enabled && cc.gateway ? missingCredential(cc.gateway.auth) : undefined;
    if (gatewayProblem) ctx.addIssue({ code: 'custom', path: ['gateway', 'auth'], message: gatewayProblem });
    if (!cc.csv.hasHeader) {
      for (const [key, ref] of Object.entries(cc.columns)) {
        if (typeof ref === 'string')
          ctx.addIssue({
            code: 'custom',
            path: ['columns', key],
            message: 'without a header row, columns are given by position (1, 2, …)',
          });
      }
    }
    if (!cc.jsonFields && cc.files.jsonl.length > 0) {
      for (const [key, ref] of Object.entries(cc.columns)) {
        if (typeof ref === 'number')
          ctx.addIssue({
            code: 'custom',
            path: ['jsonFields'],
            message: `column ${key} is given by position; JSON-lines files need jsonFields (or files.jsonl: [])`,
          });
      }
    }
  });
export type CallCenterConfig = z.infer<typeof callCenterChannelSchema>;
export type ColumnRef = z.infer<typeof columnRef>;
