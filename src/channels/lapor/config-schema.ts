import { z } from 'zod';
import { emailAccountSchema } from '../email/config-schema';

/**
 * `channels.lapor`: SP4N-LAPOR! reports disposed to the office. The notification rules below are
 * descriptions from public pages, not from real notifications: check them against the mail the office's
 * LAPOR! account actually sends (docs/channel-lapor.md) before relying on them.
 */

const label = z.string().min(1).max(80);
const labels = z.array(label).max(20);

export const laporRulesSchema = z.strictObject({
  senders: z
    .array(z.string().regex(/^([^@\s]+@|@)[^@\s]+\.[^@\s]+$/, 'an address or @domain'))
    .min(1)
    .default(['@lapor.go.id'])
    .describe('From addresses (or @domains) of LAPOR! notifications; the From domain must also pass authentication.'),
  subjectContains: z
    .array(z.string().min(1).max(200))
    .min(1)
    .default(['LAPOR!'])
    .describe('A notification subject contains one of these (letter case ignored).'),
  trackingId: labels
    .default(['Tracking ID', 'ID Laporan', 'Nomor Laporan'])
    .describe('Line labels of the Tracking ID (`Tracking ID: #1916449`); else the first `#<digits>` of the subject.'),
  textStart: labels
    .default(['Isi Laporan'])
    .describe('The report text starts after a line with one of these labels (its value after the colon included).'),
  textEnd: labels
    .default(['Tautan', 'Link', 'Tindak lanjuti', '--'])
    .describe('The report text ends before a line starting with one of these.'),
  subject: labels.default(['Judul Laporan', 'Judul']).describe('Line labels of the report title.'),
  submittedAt: labels.default(['Tanggal Laporan', 'Tanggal Pelaporan']).describe('Line labels of the filing time.'),
  forwardedAt: labels
    .default(['Tanggal Diteruskan', 'Diteruskan'])
    .describe('Line labels of when LAPOR! forwarded the report to the regency.'),
  disposedAt: labels
    .default(['Tanggal Disposisi', 'Didisposisikan'])
    .describe('Line labels of when the Admin Koordinator disposed it to the office.'),
  reporterName: labels.default(['Nama Pelapor', 'Pelapor']).describe('Line labels of the reporter name.'),
  rahasia: labels.default(['Rahasia']).describe('Line labels of the confidential flag (Ya/Tidak).'),
  anonim: labels.default(['Anonim']).describe('Line labels of the anonymous flag (Ya/Tidak).'),
});
export type LaporRules = z.infer<typeof laporRulesSchema>;

export const laporChannelSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Take in SP4N-LAPOR! reports and run their clock.'),
    adminPenghubung: z
      .array(z.email())
      .default([])
      .describe("The office's Admin Penghubung: gets the ready-to-paste follow-ups and the LAPOR! reminders."),
    reportUrl: z
      .string()
      .regex(/^https:\/\/[^\s]*\{id\}[^\s]*$/, 'an https:// URL with {id}')
      .default('https://www.lapor.go.id/laporan/detil/{id}')
      .describe("The report's page; {id} becomes its slug when known, else the Tracking ID."),
    followUpWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(5)
      .describe("LAPOR!'s deadline for the follow-up, in working days after forwarding."),
    closureWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(10)
      .describe('The report closes in LAPOR! this many working days after the follow-up.'),
    reminderWorkingDays: z
      .array(z.number().int().min(1).max(59))
      .max(5)
      .default([3, 4])
      .describe('Reminders to the team and the Admin Penghubung once this many working days have passed.'),
    notifications: z
      .strictObject({
        account: emailAccountSchema.describe(
          'The IMAP mailbox the LAPOR! notifications arrive in (its senderAuth decides what is authenticated).',
        ),
        rules: laporRulesSchema
          .default(laporRulesSchema.parse({}))
          .describe('How a notification is recognized and read.'),
      })
      .optional()
      .describe('LAPOR! notification mail; absent: reports come by `aduan intake` and HTTP sources only.'),
  })
  .superRefine((lapor, ctx) => {
    if (!lapor.enabled) return;
    if (lapor.adminPenghubung.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['adminPenghubung'],
        message: 'LAPOR! is enabled but nobody receives the follow-ups to post',
      });
    if (lapor.reminderWorkingDays.some((days) => days >= lapor.followUpWorkingDays))
      ctx.addIssue({
        code: 'custom',
        path: ['reminderWorkingDays'],
        message: 'a reminder must come before the follow-up deadline (fewer working days)',
      });
  });
export type LaporConfig = z.infer<typeof laporChannelSchema>;
