/**
 * Prints the classifier's quality figures: k-fold cross-validation on data/training and the score on
 * the shared dev set (evaluation only; it never trains on it). Run after `npm run build`:
 *   node dist/bench/eval-classifier.js [--folds 5] [--dev FILE] [--stemmer MODULE] [--tuning JSON] [--details]
 * --stemmer loads a module exporting `stemmer(word)` (e.g. @orama/stemmers/indonesian) to measure stemming.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  buildClassifier,
  crossValidate,
  evaluateClassifier,
  formatEvaluation,
  type ClassifierTuning,
  type LabelledExample,
} from '../src/domain/classification';
import { loadClassifierInputs, loadLabelledComplaints, toExamples } from '../src/config/classifier-data';

// Run from the repository root.
const ROOT = process.cwd();
const configDir = path.join(ROOT, 'config');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function main(): void {
  const folds = Number(option('--folds') ?? 5);
  const devFile = option('--dev') ?? path.resolve(ROOT, '..', 'shared', 'data', 'complaints-dev.jsonl');
  const stemmerModule = option('--stemmer');
  const tuning: Partial<ClassifierTuning> = JSON.parse(option('--tuning') ?? '{}');
  // A stemmer named on the command line, so it is loaded at run time by name.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (stemmerModule) tuning.stem = (require(stemmerModule) as { stemmer: (w: string) => string }).stemmer;

  const trainingFile = option('--train');
  const inputs = loadClassifierInputs({ configDir, ...(trainingFile ? { trainingFile } : {}) });
  const training = inputs.examples;
  if (process.argv.includes('--no-places')) delete inputs.outsidePlaces;
  const build = (examples: readonly LabelledExample[]) => buildClassifier({ ...inputs, examples, tuning });

  const cv = crossValidate(training, folds, build);
  console.log(`== ${folds}-fold cross-validation on ${training.length} training examples`);
  console.log(process.argv.includes('--details') ? formatEvaluation(cv) : summary(cv));

  if (existsSync(devFile)) {
    const dev = toExamples(loadLabelledComplaints(devFile));
    const result = evaluateClassifier(build(training), dev);
    console.log(`\n== dev set ${devFile}`);
    console.log(process.argv.includes('--details') ? formatEvaluation(result) : summary(result));
  }
}

function summary(e: ReturnType<typeof crossValidate>): string {
  const pairs = e.confusedPairs.slice(0, 8).map((p) => `${p.count}× ${p.gold}→${p.predicted}`).join(', ');
  return `accuracy ${e.accuracy.toFixed(4)}  macro-F1 ${e.macroF1.toFixed(4)}\nconfused: ${pairs || 'none'}`;
}

main();
