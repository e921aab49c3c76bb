import os from 'node:os';
import { parseSubject, SUBJECT_KINDS, type SubjectKind, type SubjectRef } from '../../domain/data-subject';
import { CommandError } from '../command-context';

/** The identifier options every `aduan citizen` request takes; exactly one names the data subject. */
export type SubjectOptions = Partial<
  Record<'email' | 'phone' | 'psid' | 'igsid' | 'waId' | 'nik' | 'ticket' | 'citizen', string>
>;

export interface RequestOptions extends SubjectOptions {
  /** When the citizen's request reached the office (ISO time); default now. The deadline counts from it. */
  receivedAt?: string;
  operator?: string;
}

const OPTION_OF: Record<SubjectKind, keyof SubjectOptions> = {
  email: 'email',
  phone: 'phone',
  psid: 'psid',
  igsid: 'igsid',
  'wa-id': 'waId',
  nik: 'nik',
  ticket: 'ticket',
  citizen: 'citizen',
};

export const SUBJECT_OPTION_HELP: Array<[string, string]> = [
  ['--email <address>', 'e-mail address (case does not matter)'],
  ['--phone <number>', 'phone number in any common spelling (0812…, +62 812…, 62812…)'],
  ['--psid <id>', 'Messenger page-scoped user id'],
  ['--igsid <id>', 'Instagram-scoped user id'],
  ['--wa-id <id>', 'WhatsApp wa_id (country code and number, digits only)'],
  ['--nik <nik>', 'NIK given on a ticket (16 digits)'],
  ['--ticket <number>', 'one ticket (ADU-2026-000123)'],
  ['--citizen <id>', 'a citizen record (citizen:<id>, see `aduan citizen show`) with every record linked to it'],
];

/** The one subject named on the command line, normalized; a CommandError in both languages otherwise. */
export function subjectFromOptions(options: SubjectOptions): SubjectRef {
  const given = SUBJECT_KINDS.filter((kind) => options[OPTION_OF[kind]] !== undefined);
  if (given.length !== 1)
    throw new CommandError(
      `aduan: sebutkan tepat satu pengenal subjek data / name exactly one identifier: ${SUBJECT_KINDS.map((k) => `--${k}`).join(', ')}`,
    );
  const kind = given[0]!;
  const parsed = parseSubject(kind, options[OPTION_OF[kind]]!);
  if (!parsed.ok) throw new CommandError(`aduan: ${parsed.reason}`);
  return parsed.ref;
}

export function receivedAtOf(options: RequestOptions, now: Date): string {
  if (options.receivedAt === undefined) return now.toISOString();
  const at = Date.parse(options.receivedAt);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(options.receivedAt) || Number.isNaN(at) || at > now.getTime())
    throw new CommandError(
      `aduan: --received-at "${options.receivedAt.slice(0, 60)}": waktu ISO yang sudah lewat / an ISO time not in the future (2026-12-01T09:30:00+07:00)`,
    );
  return new Date(at).toISOString();
}

export function operatorOf(options: RequestOptions): string {
  return `operator:${options.operator ?? os.userInfo().username}`;
}
