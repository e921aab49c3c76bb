import path from 'node:path';
import { loadClassifierInputs } from '../../../src/config/classifier-data';
import { buildClassifier } from '../../../src/domain/classification';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CONFIG_DIR = path.join(REPO_ROOT, 'config');
/** CI clones the repo with shared/ copied beside it; locally it is /work/shared. */
export const DEV_SET = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'complaints-dev.jsonl');
/** The held-out evaluation sets, written by separate authors; their hashes are in data/evaluation/SHA256SUMS. */
export const EVAL_DIR = path.join(REPO_ROOT, 'data', 'evaluation');
/** The first set: scored once, then its errors were read, so it is "seen" now (a second check). */
export const EVAL_SET = path.join(EVAL_DIR, 'complaints-eval.jsonl');
/** The second set (three new authors): scored once, its per-kind figures steered the T6 training author. */
export const EVAL_SET_V2 = path.join(EVAL_DIR, 'complaints-eval-v2.jsonl');
/** The unseen set (three more new authors, hash recorded 2026-12-07 before the modelling that followed). */
export const EVAL_SET_V3 = path.join(EVAL_DIR, 'complaints-eval-v3.jsonl');
/** routing.minConfidence as shipped in config/ (chosen by the threshold sweep of bench/eval-classifier.ts). */
export const MIN_CONFIDENCE = loadClassifierInputs({ configDir: CONFIG_DIR }).minConfidence;

/** Categories, slang, places and training examples as shipped in config/ and data/training. */
export function loadShippedData() {
  return loadClassifierInputs({ configDir: CONFIG_DIR, minConfidence: MIN_CONFIDENCE });
}

export function shippedClassifier(minConfidence = MIN_CONFIDENCE) {
  return buildClassifier({ ...loadShippedData(), minConfidence });
}
