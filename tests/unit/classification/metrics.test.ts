import { evaluate, formatEvaluation, stratifiedFolds } from '../../../src/domain/classification';
import type { CategoryKey } from '../../../src/domain/categories';

describe('evaluation metrics', () => {
  it('computes accuracy, macro-F1 over the kinds present, and the confusion matrix', () => {
    const gold: CategoryKey[] = ['skpwni-online', 'skpwni-online', 'perkebbas-account', 'other'];
    const predicted: CategoryKey[] = ['skpwni-online', 'perkebbas-account', 'perkebbas-account', 'other'];
    const result = evaluate(gold, predicted);
    expect(result.accuracy).toBe(0.75);
    // F1: skpwni 2/3, perkebbas 2/3, other 1.
    expect(result.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 10);
    expect(result.confusion['skpwni-online']['perkebbas-account']).toBe(1);
    expect(result.confusedPairs).toEqual([{ gold: 'skpwni-online', predicted: 'perkebbas-account', count: 1 }]);
    const text = formatEvaluation(result);
    expect(text).toContain('accuracy: 0.7500');
    expect(text).toContain('confusion matrix');
  });

  it('splits examples into disjoint folds that cover everything, each kind spread evenly', () => {
    const labels: CategoryKey[] = [...Array(10).fill('skpwni-online'), ...Array(5).fill('other')];
    const folds = stratifiedFolds(labels, 5, 3);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    for (const fold of folds) expect(fold.filter((i) => labels[i] === 'skpwni-online')).toHaveLength(2);
    expect(stratifiedFolds(labels, 5, 3)).toEqual(folds);
  });
});
