import type { CategoryKey } from '../categories';
import type { ComplaintClassifier } from '../classifier';
import { evaluate, stratifiedFolds, type Evaluation } from './metrics';

export interface Example {
  text: string;
  subject?: string;
  category: CategoryKey;
}

/** k-fold cross-validation: each fold is classified by a model built without it. */
export function crossValidate<E extends Example>(
  examples: readonly E[],
  folds: number,
  build: (training: readonly E[]) => ComplaintClassifier,
  seed = 1,
): Evaluation {
  const predicted: CategoryKey[] = new Array<CategoryKey>(examples.length);
  for (const fold of stratifiedFolds(
    examples.map((e) => e.category),
    folds,
    seed,
  )) {
    const held = new Set(fold);
    const classifier = build(examples.filter((_, i) => !held.has(i)));
    for (const i of fold) predicted[i] = classifier.classify(examples[i]!).category;
  }
  return evaluate(
    examples.map((e) => e.category),
    predicted,
  );
}

/** Classifies labelled examples with one classifier and scores the result. */
export function evaluateClassifier(classifier: ComplaintClassifier, examples: readonly Example[]): Evaluation {
  return evaluate(
    examples.map((e) => e.category),
    examples.map((e) => classifier.classify(e).category),
  );
}
