import { z } from 'zod';

/**
 * The formal parts of the printed recap (letterhead, document number, signature block) and the
 * settings of its evaluation section (issue #21 §3). Part of `reports` in config/default.yaml.
 */

/** Placeholders a document number may use; anything else in braces is a typo. */
export const DOCUMENT_NUMBER_TOKENS = ['year', 'month', 'monthRoman', 'period'] as const;

export const letterheadSchema = z.strictObject({
  government: z
    .string()
    .max(200)
    .default('Pemerintah Kabupaten Dairi')
    .describe('First line of the letterhead (the government the office belongs to).'),
  office: z
    .string()
    .min(1)
    .max(200)
    .default('Dinas Kependudukan dan Pencatatan Sipil')
    .describe('The office name, in large letters.'),
  address: z
    .string()
    .max(300)
    .default('Sidikalang, Kabupaten Dairi, Sumatera Utara')
    .describe('Address line under the name.'),
  contact: z.string().max(300).default('').describe('Optional line with telephone, e-mail and web site.'),
  logoFile: z
    .string()
    .default('')
    .describe(
      'PNG or JPEG file (at most 512 KB), relative to the config folder, embedded in the page as a data URI (no external asset); empty: no logo.',
    ),
});

export const signatureSchema = z.strictObject({
  place: z.string().max(100).default('Sidikalang').describe('Place written before the date above the signature.'),
  title: z
    .string()
    .max(200)
    .default('Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi')
    .describe('The post under "Mengetahui,".'),
  name: z.string().max(200).default('').describe('Name of the head of office; empty: a dotted line to write on.'),
  nip: z
    .string()
    .regex(/^(\d[\d ]{0,30})?$/, 'expected digits (spaces allowed), e.g. 19700101 199003 1 001')
    .default('')
    .describe('NIP of the head of office; empty: a dotted line.'),
});

export const evaluationSchema = z.strictObject({
  compareMonths: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(3)
    .describe("A kind is rising when this month's count clearly exceeds the mean of this many months before."),
  repeatWindowDays: z
    .number()
    .int()
    .min(1)
    .max(366)
    .default(30)
    .describe('A complaint of the same kind from the same contact within this many days counts as a repeat.'),
  minCount: z.number().int().min(1).default(3).describe('Fewest tickets for a kind or theme to be flagged as rising.'),
  minIncrease: z.number().int().min(0).default(2).describe('…and at least this many more than its baseline…'),
  minRatio: z.number().min(1).default(1.5).describe('…and at least this multiple of its baseline.'),
});

export const documentNumberSchema = z
  .string()
  .max(120)
  .refine(
    (value) =>
      [...value.matchAll(/\{([^{}]*)\}/g)].every((m) => (DOCUMENT_NUMBER_TOKENS as readonly string[]).includes(m[1]!)),
    `placeholders: ${DOCUMENT_NUMBER_TOKENS.map((t) => `{${t}}`).join(' ')}`,
  )
  .default('470/{month}/REKAP-PENGADUAN/Dukcapil/{monthRoman}/{year}')
  .describe(
    'Number printed on the recap; {year}, {month} (01–12), {monthRoman} (I–XII) and {period} (YYYY-MM) are those of the period.',
  );
