import { existsSync } from 'node:fs';
import { loadLabelledComplaints, toExamples } from '../../../src/config/classifier-data';
import { buildClassifier, crossValidate, evaluateClassifier, formatEvaluation, type Evaluation } from '../../../src/domain/classification';
import { DEV_SET, loadShippedData, MIN_CONFIDENCE } from './helpers';

/** The bar, on both the project's own examples (k-fold) and the shared dev set. */
const MIN_ACCURACY = 0.9;
const MIN_MACRO_F1 = 0.88;

const data = loadShippedData();
/** Five model builds; generous so that a busy CI machine does not turn a slow run into a failure. */
const SLOW_TEST_MS = 120_000;

function expectBar(result: Evaluation): void {
  if (result.accuracy < MIN_ACCURACY || result.macroF1 < MIN_MACRO_F1) {
    throw new Error(`below the bar (accuracy ≥ ${MIN_ACCURACY}, macro-F1 ≥ ${MIN_MACRO_F1}):\n${formatEvaluation(result)}`);
  }
  expect(result.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
  expect(result.macroF1).toBeGreaterThanOrEqual(MIN_MACRO_F1);
}

describe('classification quality', () => {
  it('meets the bar in 5-fold cross-validation on data/training (the model never sees its test fold)', () => {
    expectBar(crossValidate(data.examples, 5, (examples) => buildClassifier({ ...data, examples, minConfidence: MIN_CONFIDENCE })));
  }, SLOW_TEST_MS);

  it('meets the bar on the shared dev set (evaluation only, never trained on)', () => {
    if (!existsSync(DEV_SET)) {
      throw new Error(`dev set not found at ${DEV_SET}: shared/ must be beside the repository (shared/data/complaints-dev.jsonl)`);
    }
    const classifier = buildClassifier({ ...data, minConfidence: MIN_CONFIDENCE });
    expectBar(evaluateClassifier(classifier, toExamples(loadLabelledComplaints(DEV_SET))));
  }, SLOW_TEST_MS);
});
