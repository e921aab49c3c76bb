import { existsSync } from 'node:fs';
import { loadLabelledComplaints, toExamples } from '../../../src/config/classifier-data';
import {
  buildClassifier,
  crossValidate,
  evaluateDecisions,
  formatDecisionReport,
  formatEvaluation,
  type DecisionReport,
  type Evaluation,
  type LabelledExample,
} from '../../../src/domain/classification';
import { DEV_SET, EVAL_SET, loadShippedData, MIN_CONFIDENCE } from './helpers';

/**
 * Issue #19's bar. The evaluation set (data/evaluation, written by separate authors, never trained or tuned
 * on) is the honest measure; k-fold cross-validation on data/training and the shared dev set (tuned on in
 * the past: a weak extra check, skipped when absent) guard against regressions.
 */
const GOAL = { accuracy: 0.95, macroF1: 0.95, kindF1: 0.9, routedRightTeam: 0.98, triageShare: 0.1 };
const CV_KIND_F1 = 0.88;

const data = loadShippedData();
const classifier = buildClassifier({ ...data, minConfidence: MIN_CONFIDENCE });
const teamOf = (kind: LabelledExample['category']) => data.teams[kind] ?? kind;
/** Five model builds; generous so that a busy CI machine does not turn a slow run into a failure. */
const SLOW_TEST_MS = 180_000;

function report(examples: readonly LabelledExample[]): DecisionReport {
  return evaluateDecisions({
    gold: examples.map((e) => e.category),
    results: examples.map((e) => classifier.classify(e)),
    minConfidence: MIN_CONFIDENCE,
    teamOf,
  });
}

function expectBar(evaluation: Evaluation, details: string, kindF1 = GOAL.kindF1): void {
  const weakest = Object.entries(evaluation.perClass).filter(([, s]) => s.f1 < kindF1);
  if (evaluation.accuracy < GOAL.accuracy || evaluation.macroF1 < GOAL.macroF1 || weakest.length > 0) {
    throw new Error(`below the bar (accuracy ≥ ${GOAL.accuracy}, macro-F1 ≥ ${GOAL.macroF1}, every kind F1 ≥ ${kindF1}):\n${details}`);
  }
}

function expectRouting(r: DecisionReport): void {
  const details = formatDecisionReport(r);
  expectBar(r.evaluation, details);
  if (r.routedRightTeam / r.routed < GOAL.routedRightTeam || r.triagedTotal / r.ofKinds > GOAL.triageShare) {
    throw new Error(`routing below the bar (right team ≥ ${GOAL.routedRightTeam}, triage ≤ ${GOAL.triageShare}):\n${details}`);
  }
}

describe('classification quality', () => {
  it('meets the bar on the held-out evaluation set (data/evaluation, never trained or tuned on)', () => {
    expectRouting(report(toExamples(loadLabelledComplaints(EVAL_SET))));
  });

  it('meets the bar in 5-fold cross-validation on data/training (the model never sees its test fold)', () => {
    const cv = crossValidate(data.examples, 5, (examples) => buildClassifier({ ...data, examples, minConfidence: MIN_CONFIDENCE }));
    // A regression guard: triaged complaints count as `other` here, whose F1 sits near 0.9 in CV.
    expectBar(cv, formatEvaluation(cv), CV_KIND_F1);
  }, SLOW_TEST_MS);

  const devSet = existsSync(DEV_SET) ? it : it.skip;
  if (!existsSync(DEV_SET)) console.warn(`shared dev set not found at ${DEV_SET}: its extra check is skipped`);
  devSet(`meets the bar on the shared dev set when present (${DEV_SET}; evaluation only, never trained on)`, () => {
    expectRouting(report(toExamples(loadLabelledComplaints(DEV_SET))));
  });
});
