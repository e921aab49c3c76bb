import path from 'node:path';
import { loadClassifierInputs } from '../../../src/config/classifier-data';
import { buildClassifier } from '../../../src/domain/classification';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CONFIG_DIR = path.join(REPO_ROOT, 'config');
/** CI clones the repo with shared/ copied beside it; locally it is /work/shared. */
export const DEV_SET = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'complaints-dev.jsonl');
/** The held-out evaluation set, written by separate authors; its hash is in data/evaluation/SHA256SUMS. */
export const EVAL_DIR = path.join(REPO_ROOT, 'data', 'evaluation');
export const EVAL_SET = path.join(EVAL_DIR, 'complaints-eval.jsonl');
/** routing.minConfidence in config/default.yaml. */
export const MIN_CONFIDENCE = 0.45;

/** Categories, slang, places and training examples as shipped in config/ and data/training. */
export function loadShippedData() {
  return loadClassifierInputs({ configDir: CONFIG_DIR, minConfidence: MIN_CONFIDENCE });
}

export function shippedClassifier(minConfidence = MIN_CONFIDENCE) {
  return buildClassifier({ ...loadShippedData(), minConfidence });
}
