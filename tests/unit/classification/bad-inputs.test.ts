import { CATEGORY_KEYS } from '../../../src/domain/categories';
import type { Classification, ClassifierInput } from '../../../src/domain/classifier';
import { MIN_CONFIDENCE, shippedClassifier } from './helpers';

const classifier = shippedClassifier();

function expectValid(result: Classification): void {
  expect(CATEGORY_KEYS).toContain(result.category);
  expect(Number.isFinite(result.confidence)).toBe(true);
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(Number.isInteger(result.targetMinutes)).toBe(true);
  expect(result.targetMinutes).toBeGreaterThan(0);
  expect(Array.isArray(result.evidence)).toBe(true);
  for (const item of result.evidence) expect(typeof item).toBe('string');
}

function expectTriage(input: ClassifierInput): Classification {
  const result = classifier.classify(input);
  expectValid(result);
  expect(result.category).toBe('other');
  return result;
}

describe('bad input never crashes and ends in triage', () => {
  it('handles empty and blank text', () => {
    expect(expectTriage({ text: '' }).confidence).toBeLessThan(MIN_CONFIDENCE);
    expectTriage({ text: '   \n\t ' });
    expectTriage({ subject: '', text: '' });
  });

  it('handles text made only of emoji and punctuation', () => {
    expect(expectTriage({ text: '🙏🙏🙏😭😭😡👍 !!! ??? ...' }).confidence).toBeLessThan(MIN_CONFIDENCE);
  });

  it('handles English text', () => {
    expectTriage({
      text: 'Hello, I am writing to say that the weather in London was lovely this summer and we enjoyed the football.',
    });
  });

  it('handles Batak Toba text', () => {
    expectTriage({
      text: 'Horas ma di hita saluhutna. Mauliate ma di Tuhanta, nunga sahat hami tu huta. Las ma rohanta sude.',
    });
  });

  it('handles 100 KB of text quickly', () => {
    const chunk = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ';
    const text = chunk.repeat(Math.ceil(100_000 / chunk.length));
    const started = Date.now();
    const result = classifier.classify({ text });
    expect(Date.now() - started).toBeLessThan(500);
    expectValid(result);
    expect(result.category).toBe('other');
  });

  it('handles 100 KB made of one long word, digits and control characters', () => {
    expectValid(classifier.classify({ text: 'a'.repeat(100_000) }));
    expectValid(classifier.classify({ text: '1'.repeat(100_000) }));
    expectValid(classifier.classify({ text: '\u0000\u0007\uffff\ud800'.repeat(1000) }));
  });

  it('handles values that break the type contract at run time', () => {
    expectValid(classifier.classify({ text: undefined } as unknown as ClassifierInput));
    expectValid(classifier.classify({ text: 42, subject: null } as unknown as ClassifierInput));
  });
});
