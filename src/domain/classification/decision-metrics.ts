import type { CategoryKey } from '../categories';
import type { Classification } from '../classifier';
import { reliability, type Reliability } from './calibration';
import { evaluate, formatEvaluation, type Evaluation } from './metrics';

/**
 * What a classifier's decisions mean for routing: of the tickets routed automatically, how many reach the
 * right kind and team; how many complaints of the 13 kinds go to triage, and why; and how well the
 * confidence is calibrated (the likeliest kind's probability against how often it is right).
 */

export interface DecisionReport {
  evaluation: Evaluation;
  minConfidence: number;
  routed: number;
  routedRightKind: number;
  /** Routed tickets whose kind maps to the labelled kind's team (two kinds can share a team). */
  routedRightTeam: number;
  /** Labelled as one of the 13 kinds (not `other`). */
  ofKinds: number;
  /** Of those, sent to triage: by the classifier's triage reason, or `other` when `other` was likeliest. */
  triaged: Record<string, number>;
  triagedTotal: number;
  integrityFlagged: number;
  calibration: Reliability;
}

export interface DecisionInput {
  gold: readonly CategoryKey[];
  results: readonly Classification[];
  minConfidence: number;
  /** Team of each kind (categories.yaml); without it a team is right only when the kind is. */
  teamOf?: (category: CategoryKey) => string;
}

export function evaluateDecisions(input: DecisionInput): DecisionReport {
  const { gold, results } = input;
  const teamOf = input.teamOf ?? ((category: CategoryKey) => category);
  let routed = 0;
  let routedRightKind = 0;
  let routedRightTeam = 0;
  let ofKinds = 0;
  let integrityFlagged = 0;
  const triaged: Record<string, number> = {};
  const confidences: number[] = [];
  const correct: boolean[] = [];
  results.forEach((result, i) => {
    const labelled = gold[i]!;
    if (result.integrity?.length) integrityFlagged++;
    const likeliest = result.candidates?.[0]?.category ?? result.category;
    confidences.push(result.confidence);
    correct.push(likeliest === labelled);
    if (result.category !== 'other') {
      routed++;
      if (result.category === labelled) routedRightKind++;
      if (labelled !== 'other' && teamOf(result.category) === teamOf(labelled)) routedRightTeam++;
    }
    if (labelled === 'other') return;
    ofKinds++;
    if (result.category === 'other') {
      const reason = result.triage ?? 'other';
      triaged[reason] = (triaged[reason] ?? 0) + 1;
    }
  });
  return {
    evaluation: evaluate(
      gold,
      results.map((r) => r.category),
    ),
    minConfidence: input.minConfidence,
    routed,
    routedRightKind,
    routedRightTeam,
    ofKinds,
    triaged,
    triagedTotal: Object.values(triaged).reduce((a, b) => a + b, 0),
    integrityFlagged,
    calibration: reliability(confidences, correct),
  };
}

const ratio = (part: number, whole: number) => (whole === 0 ? '-' : `${(part / whole).toFixed(4)} (${part}/${whole})`);

/** The evaluation (accuracy, macro-F1, per kind, confusion matrix) followed by routing and calibration figures. */
export function formatDecisionReport(report: DecisionReport): string {
  const reasons = Object.entries(report.triaged)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const lines = [
    formatEvaluation(report.evaluation),
    '',
    `routing at minConfidence ${report.minConfidence}:`,
    `  routed automatically:            ${ratio(report.routed, report.evaluation.total)}`,
    `  routed accuracy (right kind):    ${ratio(report.routedRightKind, report.routed)}`,
    `  routed accuracy (right team):    ${ratio(report.routedRightTeam, report.routed)}`,
    `  triage share of the 13 kinds:    ${ratio(report.triagedTotal, report.ofKinds)}${reasons ? ` — ${reasons}` : ''}`,
    `  integrity flags:                 ${report.integrityFlagged}`,
    '',
    `calibration (likeliest kind's confidence vs. how often it is right): ECE ${report.calibration.ece.toFixed(4)}`,
    '  confidence     count  mean conf  accuracy',
    ...report.calibration.bins.map((b) => {
      const range = `${b.from.toFixed(1)}–${b.to.toFixed(1)}`;
      const figures = `${b.meanConfidence.toFixed(3).padStart(9)}  ${b.accuracy.toFixed(3).padStart(8)}`;
      return `  ${range}      ${String(b.count).padStart(6)}  ${figures}`;
    }),
  ];
  return lines.join('\n');
}
