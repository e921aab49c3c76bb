import { maskAllPersonalData } from './personal-data';
import type { SurveyInstrument, SurveyResponse } from './survey-instrument';

/**
 * The SKM computation of PermenPAN-RB 14/2017: NRR per element (the mean of those who answered it), the
 * weighted sum on the 1–4 scale, converted ×25 to 25–100, and the quality grade read on the converted value
 * rounded to two decimals (so 76.605 has a grade: no gaps between the table's intervals). Pure.
 */

export type Grade = 'A' | 'B' | 'C' | 'D';

export const GRADE_LABELS: Readonly<Record<Grade, string>> = {
  A: 'Sangat baik',
  B: 'Baik',
  C: 'Kurang baik',
  D: 'Tidak baik',
};

/** Lower bounds of the converted value, in hundredths: 88.31 A, 76.61 B, 65.00 C, else D. */
const GRADE_FLOORS: ReadonlyArray<[Grade, number]> = [
  ['A', 8831],
  ['B', 7661],
  ['C', 6500],
];

/** Hundredths, rounded half up; toPrecision first so 3 × 25 summed in ninths is 7500, not 7499.999…. */
function hundredths(value: number): number {
  return Math.round(Number((value * 100).toPrecision(12)));
}

/** Rounds to two decimals the way the grade table reads values. */
export function round2(value: number): number {
  return hundredths(value) / 100;
}

/** The grade of a converted value (25–100). */
export function gradeOf(converted: number): Grade {
  const h = hundredths(converted);
  return GRADE_FLOORS.find(([, floor]) => h >= floor)?.[0] ?? 'D';
}

export interface ElementResult {
  key: string;
  label: string;
  /** Respondents who answered this element. */
  n: number;
  /** Mean score 1–4; undefined when no one answered. */
  nrr?: number;
}

export interface SkmResult {
  /** Respondents. */
  n: number;
  elements: ElementResult[];
  /** Weighted sum on 1–4 (undefined without answers). */
  skm?: number;
  /** ×25, rounded to two decimals. */
  converted?: number;
  grade?: Grade;
  gradeLabel?: string;
  /** The lowest-rated elements (lowest NRR first). */
  lowest: ElementResult[];
  /** Verbatim "kritik dan saran", NIK/KK and phone numbers masked, newest first. */
  suggestions: string[];
  /** Mean of the overall 1–4 question (closure surveys), with how many answered it. */
  overall?: { n: number; mean: number };
}

const LOWEST = 3;
const MAX_SUGGESTIONS = 50;

/**
 * The SKM of a set of responses. An element no one answered is left out and the other weights are scaled to
 * sum to 1 again (so one unanswered element does not drag the value down by a ninth).
 */
export function computeSkm(responses: readonly SurveyResponse[], instrument: SurveyInstrument): SkmResult {
  const elements: ElementResult[] = instrument.elements.map((element) => {
    let sum = 0;
    let n = 0;
    for (const response of responses) {
      const score = response.answers[element.key];
      if (score === undefined) continue;
      sum += score;
      n++;
    }
    return { key: element.key, label: element.label, n, ...(n ? { nrr: sum / n } : {}) };
  });
  let weighted = 0;
  let weights = 0;
  instrument.elements.forEach((element, i) => {
    const nrr = elements[i]!.nrr;
    if (nrr === undefined) return;
    weighted += nrr * element.weight;
    weights += element.weight;
  });
  const rated = elements.filter((e) => e.nrr !== undefined);
  const lowest = [...rated].sort((a, b) => a.nrr! - b.nrr! || a.key.localeCompare(b.key)).slice(0, LOWEST);
  const overallScores = responses.flatMap((r) => (r.overall === undefined ? [] : [r.overall]));
  const result: SkmResult = {
    n: responses.length,
    elements,
    lowest,
    suggestions: suggestionsOf(responses),
    ...(overallScores.length
      ? { overall: { n: overallScores.length, mean: overallScores.reduce((a, b) => a + b, 0) / overallScores.length } }
      : {}),
  };
  if (weights === 0) return result;
  const skm = weighted / weights;
  const converted = round2(skm * 25);
  const grade = gradeOf(converted);
  return { ...result, skm, converted, grade, gradeLabel: GRADE_LABELS[grade] };
}

function suggestionsOf(responses: readonly SurveyResponse[]): string[] {
  return responses
    .filter((r) => r.suggestion?.trim())
    .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
    .slice(0, MAX_SUGGESTIONS)
    .map((r) => maskAllPersonalData(r.suggestion!.trim()));
}

/** Krejcie & Morgan (1970): χ² = 3.841 (1 degree of freedom, 95 %), P = 0.5, d = 0.05. */
const CHI2 = 3.841;
const P = 0.5;
const D = 0.05;
/** The published table's value for populations of 100,000 and more (the formula's limit, 384.1). */
const LARGE_POPULATION = 100_000;
const LARGE_SAMPLE = 384;

/** The sample size the Krejcie–Morgan table gives for a population of service users. */
export function krejcieMorganSampleSize(population: number): number {
  if (!Number.isFinite(population) || population <= 0) return 0;
  if (population >= LARGE_POPULATION) return LARGE_SAMPLE;
  const s = (CHI2 * population * P * (1 - P)) / (D * D * (population - 1) + CHI2 * P * (1 - P));
  return Math.min(Math.round(s), Math.ceil(population));
}

/** Whether the respondents reach the sample size for the period's service users. */
export function representativeness(
  respondents: number,
  population: number | undefined,
): { target?: number; reached: boolean } {
  if (population === undefined) return { reached: false };
  const target = krejcieMorganSampleSize(population);
  return { target, reached: respondents >= target };
}
