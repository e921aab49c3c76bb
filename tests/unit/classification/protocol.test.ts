import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLabelledComplaints, toExamples } from '../../../src/config/classifier-data';
import { overlapping } from '../../../src/cli/commands/classify';
import { DEV_SET, EVAL_DIR, EVAL_SET, loadShippedData, shippedClassifier } from './helpers';

/**
 * The honest protocol of issue #19: the evaluation set is the one whose hash was recorded before any
 * modelling, and no training example (same normalized text) occurs in it or in the shared dev set.
 */

const data = loadShippedData();
const classifier = shippedClassifier();

describe('evaluation protocol', () => {
  it('the evaluation set is the one whose SHA-256 was recorded in data/evaluation/SHA256SUMS', () => {
    expect(existsSync(EVAL_SET)).toBe(true);
    const sums = readFileSync(path.join(EVAL_DIR, 'SHA256SUMS'), 'utf8');
    const recorded = sums.split('\n').find((line) => line.trim().endsWith(path.basename(EVAL_SET)));
    expect(recorded).toBeDefined();
    const actual = createHash('sha256').update(readFileSync(EVAL_SET)).digest('hex');
    expect(recorded!.trim().split(/\s+/)[0]).toBe(actual);
  });

  it('no training example occurs in the evaluation set', () => {
    const evaluation = toExamples(loadLabelledComplaints(EVAL_SET));
    expect(evaluation.length).toBeGreaterThan(0);
    expect(overlapping(classifier, data.examples, evaluation)).toBe(0);
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
