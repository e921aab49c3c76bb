import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLabelledComplaints, toExamples } from '../../../src/config/classifier-data';
import { overlapping } from '../../../src/cli/commands/classify';
import { DEV_SET, EVAL_DIR, EVAL_SET, EVAL_SET_V2, EVAL_SET_V3, loadShippedData, shippedClassifier } from './helpers';

/**
 * The honest protocol of issue #19: each evaluation set is the one whose hash was recorded before the
 * modelling that followed it, and no training example (same normalized text) occurs in it or in the shared
 * dev set. Only counts are compared: the evaluation texts are never printed.
 */

const data = loadShippedData();
const classifier = shippedClassifier();

describe('evaluation protocol', () => {
  describe.each([
    ['complaints-eval.jsonl (first set, seen)', EVAL_SET],
    ['complaints-eval-v2.jsonl (scored once)', EVAL_SET_V2],
    ['complaints-eval-v3.jsonl (unseen)', EVAL_SET_V3],
  ])('%s', (_name, file) => {
    it('is the file whose SHA-256 was recorded in data/evaluation/SHA256SUMS', () => {
      expect(existsSync(file)).toBe(true);
      const sums = readFileSync(path.join(EVAL_DIR, 'SHA256SUMS'), 'utf8');
      const recorded = sums.split('\n').find((line) => line.trim().split(/\s+/)[1] === path.basename(file));
      expect(recorded).toBeDefined();
      const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(recorded!.trim().split(/\s+/)[0]).toBe(actual);
    });

    it('holds no training example', () => {
      const evaluation = toExamples(loadLabelledComplaints(file));
      expect(evaluation.length).toBeGreaterThan(0);
      expect(overlapping(classifier, data.examples, evaluation)).toBe(0);
    });
  });

  (existsSync(DEV_SET) ? it : it.skip)(`no training example occurs in the shared dev set (${DEV_SET})`, () => {
    expect(overlapping(classifier, data.examples, toExamples(loadLabelledComplaints(DEV_SET)))).toBe(0);
  });

  it('the overlap check finds a training text hidden by case, spacing and slang spelling', () => {
    const [first] = data.examples;
    const disguised = { ...first!, text: `  ${first!.text.toUpperCase().replace(/ /g, '   ')}  ` };
    const unseen = { text: 'Teks yang sama sekali baru tentang sesuatu', category: 'other' as const };
    expect(overlapping(classifier, data.examples, [disguised, unseen])).toBe(1);
  });
});
