import { z } from 'zod';
import { CATEGORY_KEYS } from '../domain/categories';
import { responseTemplateProblems } from '../domain/messages';

/** config/categories.yaml: per kind, what admins tune without code. */
export const phraseSchema = z.strictObject({
  phrase: z.string().min(1),
  weight: z.number().positive().max(10).default(1),
});

export const categorySchema = z.strictObject({
  label: z.string().min(1),
  target: z
    .string()
    .regex(/^[1-9]\d*[mhd]$/, 'expected a duration like 5m, 2h or 3d')
    .describe('5m, 2h, 3d: minutes and hours of working time, or whole working days.'),
  team: z.string().min(1),
  phrases: z.array(phraseSchema).default([]),
  responseTemplate: z
    .string()
    .min(1)
    .superRefine((template, ctx) => {
      for (const message of responseTemplateProblems(template)) ctx.addIssue({ code: 'custom', message });
    })
    .describe(
      'Indonesian initial-response text; placeholders {{ticketNumber}} {{label}} {{target}} {{dueAt}} {{name}}.',
    ),
});

/**
 * Integrity complaints (pungli, calo, bribery, rude or absent staff): any phrase flags the ticket, which
 * then goes to `team` (the supervisors) whatever its kind, never to the team it may be about.
 */
export const integritySchema = z.strictObject({
  team: z.string().min(1),
  phrases: z.array(z.string().min(1)).min(1),
});

export const categoriesFileSchema = z.strictObject({
  integrity: integritySchema.optional(),
  categories: z.strictObject(
    Object.fromEntries(CATEGORY_KEYS.map((key) => [key, categorySchema])) as Record<
      (typeof CATEGORY_KEYS)[number],
      typeof categorySchema
    >,
  ),
});

export type CategoryConfig = z.infer<typeof categorySchema>;
export type CategoriesFile = z.infer<typeof categoriesFileSchema>;
