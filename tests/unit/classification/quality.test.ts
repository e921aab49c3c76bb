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
import { DEV_SET, EVAL_SET, EVAL_SET_V2, EVAL_SET_V3, loadShippedData, MIN_CONFIDENCE } from './helpers';

/**
 * Issue #19's bar. The unseen set is data/evaluation/complaints-eval-v3.jsonl, scored once by the lead with
 * `aduan classify --eval` after the model was final (commit b3244ae, data/evaluation/scored-v3-b3244ae.txt):
 * accuracy 0.969, macro-F1 0.971, lowest kind F1 0.922 (`other`), routed right team 0.985, triage 0.013 — the
 * goal, which this test now holds it to. The v2 set (scored once in the previous round,
 * its per-kind figures steered a training author), the first set (seen: its errors were read), k-fold
 * cross-validation on data/training and the shared dev set (tuned on in the past: a weak extra check, skipped
 * when absent) guard against regressions.
 */
const GOAL: Bar = { accuracy: 0.95, macroF1: 0.95, kindF1: 0.9, otherF1: 0.9, routedRightTeam: 0.98, triageShare: 0.1 };
/**
 * The model of December 2026 (3,142 examples, routing.minConfidence 0.55 / minMargin 0.2), this test run once
 * after it was final: on v2 accuracy 0.956, macro-F1 0.958, `other` F1 0.919, routed right team 0.981 (526/536),
 * triage 0.020 (11/546) meet the goal; population-data-check F1 0.895 falls short. The floor just below it only
 * guards against regressions; the goal stays what docs/classifier.md reports against.
 */
const V2_BAR: Bar = { ...GOAL, kindF1: 0.89 };
/**
 * The first set (seen), same model and run: accuracy 0.971, macro-F1 0.972, lowest kind F1 0.933
 * (document-requirements), `other` 0.912, routed right team 0.983 (570/580), triage 0.014: the goal.
 */
const V1_BAR: Bar = GOAL;
/**
 * The dev set, the previous model (`other` F1 0.848 below the goal): not measured with this model, since the
 * dev set was absent where it was chosen (the check is skipped then); the floor is left as it was.
 */
const DEV_BAR: Bar = { ...GOAL, otherF1: 0.84 };
/**
 * A regression guard, just below the measured 5-fold figures of the model chosen in December 2026 (3,142
 * examples, routing.minConfidence 0.55 / minMargin 0.2: accuracy 0.963, macro-F1 0.967, lowest kind F1 0.916
 * (document-requirements), `other` 0.905). Triaged complaints count as `other` here (about 2 % of the 13 kinds).
 */
const CV_BAR: Bar = { accuracy: 0.955, macroF1: 0.96, kindF1: 0.905, otherF1: 0.895 };

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

interface Bar {
  accuracy: number;
  macroF1: number;
  /** F1 every one of the 13 kinds must reach. */
  kindF1: number;
  otherF1: number;
  routedRightTeam?: number;
  triageShare?: number;
}

function expectBar(evaluation: Evaluation, details: string, bar: Bar, routing?: DecisionReport): void {
  const problems: string[] = [];
  if (evaluation.accuracy < bar.accuracy) problems.push(`accuracy < ${bar.accuracy}`);
  if (evaluation.macroF1 < bar.macroF1) problems.push(`macro-F1 < ${bar.macroF1}`);
  for (const [kind, scores] of Object.entries(evaluation.perClass)) {
    const floor = kind === 'other' ? bar.otherF1 : bar.kindF1;
    if (scores.f1 < floor) problems.push(`${kind} F1 < ${floor}`);
  }
  if (routing && bar.routedRightTeam !== undefined && routing.routedRightTeam / routing.routed < bar.routedRightTeam) {
    problems.push(`routed right team < ${bar.routedRightTeam}`);
  }
  if (routing && bar.triageShare !== undefined && routing.triagedTotal / routing.ofKinds > bar.triageShare) {
    problems.push(`triage share > ${bar.triageShare}`);
  }
  if (problems.length > 0) throw new Error(`below the bar (${problems.join(', ')}):\n${details}`);
}

describe('classification quality', () => {
  it('on the v3 evaluation set (unseen until it was scored once, after the model was final): the goal', () => {
    const r = report(toExamples(loadLabelledComplaints(EVAL_SET_V3)));
    expectBar(r.evaluation, formatDecisionReport(r), GOAL, r);
  });

  it('on the v2 evaluation set (scored once before, a second check now): the goal, one floor aside', () => {
    const r = report(toExamples(loadLabelledComplaints(EVAL_SET_V2)));
    expectBar(r.evaluation, formatDecisionReport(r), V2_BAR, r);
  });

  it('on the first evaluation set (seen: a second check): the goal', () => {
    const r = report(toExamples(loadLabelledComplaints(EVAL_SET)));
    expectBar(r.evaluation, formatDecisionReport(r), V1_BAR, r);
  });

  it(
    'meets the bar in 5-fold cross-validation on data/training (the model never sees its test fold)',
    () => {
      const build = (examples: readonly LabelledExample[]) =>
        buildClassifier({ ...data, examples, minConfidence: MIN_CONFIDENCE });
      const cv = crossValidate(data.examples, 5, build);
      expectBar(cv, formatEvaluation(cv), CV_BAR);
    },
    SLOW_TEST_MS,
  );

  const devSet = existsSync(DEV_SET) ? it : it.skip;
  if (!existsSync(DEV_SET)) console.warn(`shared dev set not found at ${DEV_SET}: its extra check is skipped`);
  devSet(`meets the bar on the shared dev set when present (${DEV_SET}; evaluation only, never trained on)`, () => {
    const r = report(toExamples(loadLabelledComplaints(DEV_SET)));
    expectBar(r.evaluation, formatDecisionReport(r), DEV_BAR, r);
  });
});
