import { z } from 'zod';
import { DEFAULT_INSTRUMENT } from '../domain/survey-instrument';

/**
 * `survey`: the satisfaction survey after a resolved complaint and the service-user survey (SKM,
 * PermenPAN-RB 14/2017): when the invitation goes, the public page, and the instrument (usually in
 * config/survey.yaml).
 */

/** Weights are fractions like 1/9: a sum within this of 1 counts as 1. */
const WEIGHT_TOLERANCE = 1e-6;

const answersSchema = z
  .tuple([z.string().min(1).max(80), z.string().min(1).max(80), z.string().min(1).max(80), z.string().min(1).max(80)])
  .describe('Labels of the answers scored 1, 2, 3 and 4 (worst first).');

const elementSchema = z.strictObject({
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,20}$/, 'expected a short key like U1')
    .describe('Stable key stored with each answer (U1…U9).'),
  label: z.string().min(1).max(120).describe('Name of the element (unsur), e.g. Persyaratan.'),
  question: z.string().min(1).max(300).describe('The question as the respondent reads it.'),
  answers: answersSchema,
  weight: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe('Share in the weighted sum; all weights must sum to 1. Absent on every element: equal shares.'),
});

export const instrumentSchema = z
  .strictObject({
    elements: z.array(elementSchema).min(1).max(30).describe('The elements (unsur) rated 1–4.'),
    overall: z
      .strictObject({
        question: z.string().min(1).max(300).describe('The overall question on how the complaint was handled.'),
        answers: answersSchema,
      })
      .describe('The overall 1–4 question (also the "Balas 1–4" quick answer in chat).'),
  })
  .superRefine((instrument, ctx) => {
    const keys = instrument.elements.map((e) => e.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'each element key once' });
    const given = instrument.elements.filter((e) => e.weight !== undefined);
    if (given.length > 0 && given.length < instrument.elements.length)
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'give a weight to every element or to none' });
    const sum = given.reduce((total, e) => total + e.weight!, 0);
    if (given.length === instrument.elements.length && Math.abs(sum - 1) > WEIGHT_TOLERANCE)
      ctx.addIssue({
        code: 'custom',
        path: ['elements'],
        message: `weights must sum to 1 (they sum to ${Number(sum.toFixed(6))})`,
      });
  })
  .transform((instrument) => ({
    ...instrument,
    elements: instrument.elements.map((e) => ({ ...e, weight: e.weight ?? 1 / instrument.elements.length })),
  }));

const periodKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month like 2026-11');

export const surveySchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe('Invite citizens to the satisfaction survey after a resolved complaint and serve the survey page.'),
  host: z.string().default('127.0.0.1').describe('Listen address of the survey page (behind the reverse proxy).'),
  port: z.number().int().min(0).max(65535).default(8090).describe('Listen port of the survey page.'),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/, 'expected a path like /survei')
    .default('/survei')
    .describe('Path prefix of the page: <path>/<token> per ticket, <path>/layanan for service users.'),
  publicBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:8090')
    .describe('Origin citizens reach the page at (the reverse proxy), e.g. https://pengaduan.dairikab.go.id.'),
  inviteAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60)
    .describe('The invitation goes this long after the final answer, postponed to the next office opening.'),
  reminderAfterDays: z
    .number()
    .int()
    .min(0)
    .max(30)
    .default(3)
    .describe('One reminder this many days after an unanswered invitation (at an office hour); 0: no reminder.'),
  linkValidDays: z.number().int().min(1).max(90).default(14).describe('How long a survey link stays valid.'),
  checkEverySeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe('How often resolved tickets are checked for a due invitation or reminder.'),
  submissionsPerMinute: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe('Page requests that write (submissions) per client address per minute; more get 429.'),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(16 * 1024)
    .describe('Larger form bodies are refused with 413.'),
  callCenterConsentField: z
    .string()
    .default('surveyConsent')
    .describe(
      'Call-center tickets are invited (over the gateway) only when this meta field of the log row says ya/yes/1.',
    ),
  serviceUsers: z
    .record(periodKey, z.number().int().min(0))
    .default({})
    .describe(
      'Service users per month (YYYY-MM: count): the Krejcie–Morgan target of the official SKM; `aduan survey users` overrides.',
    ),
  instrument: instrumentSchema
    .default(instrumentSchema.parse(DEFAULT_INSTRUMENT))
    .describe('The questions (config/survey.yaml): the 9 SKM elements with answer labels and weights.'),
});

export type SurveyConfig = z.infer<typeof surveySchema>;
