import { CATEGORY_KEYS, type CategoryKey } from '../categories';
import { mulberry32, shuffle } from './random';

/** Accuracy, macro-F1 and the confusion matrix of predicted against labelled kinds. */

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  total: number;
  accuracy: number;
  /** Mean F1 over the kinds that occur in the labels or the predictions. */
  macroF1: number;
  perClass: Partial<Record<CategoryKey, ClassScores>>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<CategoryKey, Record<CategoryKey, number>>;
  /** Off-diagonal cells, largest first. */
  confusedPairs: { gold: CategoryKey; predicted: CategoryKey; count: number }[];
}

export function evaluate(gold: readonly CategoryKey[], predicted: readonly CategoryKey[]): Evaluation {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const confusion = Object.fromEntries(
    CATEGORY_KEYS.map((g) => [g, Object.fromEntries(CATEGORY_KEYS.map((p) => [p, 0]))]),
  ) as Record<CategoryKey, Record<CategoryKey, number>>;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    confusion[gold[i]!][predicted[i]!]++;
    if (gold[i] === predicted[i]) correct++;
  }
  const present = CATEGORY_KEYS.filter((k) => gold.includes(k) || predicted.includes(k));
  const perClass: Partial<Record<CategoryKey, ClassScores>> = {};
  for (const k of present) {
    const tp = confusion[k][k];
    const support = CATEGORY_KEYS.reduce((sum, p) => sum + confusion[k][p], 0);
    const predictedCount = CATEGORY_KEYS.reduce((sum, g) => sum + confusion[g][k], 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[k] = { precision, recall, f1, support };
  }
  const macroF1 = present.length === 0 ? 0 : present.reduce((sum, k) => sum + perClass[k]!.f1, 0) / present.length;
  const confusedPairs = CATEGORY_KEYS.flatMap((g) =>
    CATEGORY_KEYS.filter((p) => p !== g && confusion[g][p] > 0).map((p) => ({
      gold: g,
      predicted: p,
      count: confusion[g][p],
    })),
  ).sort((a, b) => b.count - a.count);
  return {
    total: gold.length,
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1,
    perClass,
    confusion,
    confusedPairs,
  };
}

/** Splits example indices into k folds, each kind spread evenly over the folds; deterministic per seed. */
export function stratifiedFolds(labels: readonly CategoryKey[], k: number, seed = 1): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  const random = mulberry32(seed);
  let next = 0;
  for (const kind of CATEGORY_KEYS) {
    const members = labels.flatMap((label, i) => (label === kind ? [i] : []));
    shuffle(members, random);
    for (const index of members) {
      folds[next % k]!.push(index);
      next++;
    }
  }
  return folds;
}

/** Plain-text report: figures, per-kind scores, confusion matrix with short column codes. */
export function formatEvaluation(evaluation: Evaluation): string {
  const kinds = CATEGORY_KEYS.filter((k) => evaluation.perClass[k]);
  const code = (k: CategoryKey) => String(CATEGORY_KEYS.indexOf(k)).padStart(3);
  const lines = [
    `examples: ${evaluation.total}`,
    `accuracy: ${evaluation.accuracy.toFixed(4)}`,
    `macro-F1: ${evaluation.macroF1.toFixed(4)}`,
    '',
    'per kind (precision recall F1 support):',
    ...kinds.map((k) => {
      const s = evaluation.perClass[k]!;
      return `${code(k)} ${k.padEnd(30)} ${s.precision.toFixed(3)} ${s.recall.toFixed(3)} ${s.f1.toFixed(3)} ${String(s.support).padStart(4)}`;
    }),
    '',
    'confusion matrix (rows: labelled, columns: predicted):',
    `${''.padEnd(34)}${kinds.map(code).join('')}`,
    ...kinds.map(
      (g) => `${code(g)} ${g.padEnd(30)}${kinds.map((p) => String(evaluation.confusion[g][p]).padStart(3)).join('')}`,
    ),
  ];
  if (evaluation.confusedPairs.length > 0) {
    lines.push('', 'most confused (labelled → predicted):');
    for (const pair of evaluation.confusedPairs.slice(0, 10))
      lines.push(`  ${pair.count} × ${pair.gold} → ${pair.predicted}`);
  }
  return lines.join('\n');
}
