import { randomUUID } from 'node:crypto';
import { maskAllPersonalData } from '../domain/personal-data';
import {
  AGE_OPTIONS,
  EDUCATION_OPTIONS,
  OCCUPATION_OPTIONS,
  type RespondentProfile,
  type Score,
  type SurveyInstrument,
  type SurveyResponse,
  type SurveySource,
} from '../domain/survey-instrument';

/** What a form sent, as strings, to show again when it has to be corrected. */
export type FormValues = Record<string, string | undefined>;

const MAX_SUGGESTION = 2000;
const MAX_FIELDS = 100;

/** The fields of an application/x-www-form-urlencoded body (URLSearchParams: one linear pass); a field sent twice is refused. */
export function readForm(body: string): FormValues | undefined {
  const values: FormValues = {};
  let count = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    if (++count > MAX_FIELDS || name in values) return undefined;
    values[name] = value;
  }
  return values;
}

export type FormCheck =
  { ok: true; response: Omit<SurveyResponse, 'id' | 'submittedAt' | 'source' | 'via'> } | { ok: false; error: string };

function score(value: string | undefined): Score | undefined | 'bad' {
  if (value === undefined || value === '') return undefined;
  return value === '1' || value === '2' || value === '3' || value === '4' ? (Number(value) as Score) : 'bad';
}

function oneOf(value: string | undefined, options: readonly string[]): string | undefined | 'bad' {
  if (value === undefined || value === '') return undefined;
  return options.includes(value) ? value : 'bad';
}

/**
 * Checks a submitted form against the instrument: scores 1–4 only, known profile options only, the overall
 * question required on a closure survey, at least one element answered on a service survey. The suggestion is
 * kept with NIK/KK and phone numbers masked (the page asks not to write them; some will).
 */
export function checkForm(values: FormValues, instrument: SurveyInstrument, source: SurveySource): FormCheck {
  const bad = { ok: false as const, error: 'Isian tidak valid. Mohon pilih jawaban yang tersedia lalu kirim lagi.' };
  const answers: Record<string, Score> = {};
  for (const element of instrument.elements) {
    const s = score(values[element.key]);
    if (s === 'bad') return bad;
    if (s !== undefined) answers[element.key] = s;
  }
  const overall = source === 'closure' ? score(values.overall) : undefined;
  if (overall === 'bad') return bad;
  if (source === 'closure' && overall === undefined)
    return { ok: false, error: `Mohon jawab pertanyaan: ${instrument.overall.question}` };
  if (source === 'service' && Object.keys(answers).length === 0)
    return { ok: false, error: 'Mohon jawab sedikitnya satu pertanyaan sebelum mengirim.' };
  const suggestion = (values.saran ?? '').trim();
  if (suggestion.length > MAX_SUGGESTION)
    return { ok: false, error: `Kritik dan saran paling banyak ${MAX_SUGGESTION} karakter.` };
  const gender = oneOf(values.jk, ['laki-laki', 'perempuan']);
  const age = oneOf(values.usia, AGE_OPTIONS);
  const education = oneOf(values.pendidikan, EDUCATION_OPTIONS);
  const occupation = oneOf(values.pekerjaan, OCCUPATION_OPTIONS);
  if ([gender, age, education, occupation].includes('bad')) return bad;
  const profile: RespondentProfile = {
    ...(gender ? { gender: gender as RespondentProfile['gender'] } : {}),
    ...(age ? { age } : {}),
    ...(education ? { education } : {}),
    ...(occupation ? { occupation } : {}),
  };
  return {
    ok: true,
    response: {
      answers,
      ...(overall !== undefined ? { overall } : {}),
      ...(suggestion ? { suggestion: maskAllPersonalData(suggestion) } : {}),
      ...(Object.keys(profile).length ? { profile } : {}),
    },
  };
}

export function newResponseId(): string {
  return randomUUID();
}
