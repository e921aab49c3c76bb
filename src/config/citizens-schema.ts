import { z } from 'zod';
import { sharedIdentifierKeys } from '../domain/citizens/identifiers';

/** One citizen across channels (docs/citizens.md). */
export const citizensSchema = z.strictObject({
  sharedIdentifiers: z
    .array(z.string().min(1).max(220))
    .default([])
    .superRefine((entries, ctx) => {
      for (const entry of sharedIdentifierKeys(entries).invalid)
        ctx.addIssue({
          code: 'custom',
          message: `"${entry.slice(0, 60)}" is no phone number, email address or channel:id (a NIK is never shared)`,
        });
    })
    .describe(
      'Phones, mailboxes and accounts used for many citizens (village, kecamatan, Puskesmas and KUA operators, ' +
        'portal operators, family phones): `+62812…`/`0812…`, `name@domain`, or `messenger:<PSID>`, ' +
        '`instagram:<IGSID>`, `whatsapp:<wa_id>`, `portal:<account>`. They never link records, never merge ' +
        'complaints, give no "same person" hint and get no automatic status answer about an unnamed ticket.',
    ),
  sameProblemWindowDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .default(30)
    .describe(
      'A new complaint of the same kind from the same (linked) citizen while a ticket of that kind is open and ' +
        'was received within this many days becomes a follow-up of it (one SLA clock); 0: never.',
    ),
  statusAnswersPerHour: z
    .number()
    .int()
    .min(0)
    .max(60)
    .default(5)
    .describe(
      '"Sudah sampai mana?": a short status question about the sender\'s own ticket (named, or their only open ' +
        'one) is answered automatically on its channel, at most this many times per sender per hour (past it ' +
        'the question is recorded, not answered); a number that is not theirs gets "tidak ditemukan untuk akun ' +
        'ini". 0: never answered automatically (handled as a follow-up, as before).',
    ),
});

export type CitizensConfig = z.infer<typeof citizensSchema>;
