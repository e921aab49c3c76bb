import { surveySchema } from '../../../src/config/survey-schema';
import { DEFAULT_INSTRUMENT } from '../../../src/domain/survey-instrument';

function withWeights(weights: Array<number | undefined>) {
  return {
    instrument: {
      overall: DEFAULT_INSTRUMENT.overall,
      elements: DEFAULT_INSTRUMENT.elements.map(({ weight: _weight, ...e }, i) =>
        weights[i] === undefined ? e : { ...e, weight: weights[i] },
      ),
    },
  };
}

describe('survey config: the instrument', () => {
  test('default: the 9 elements of PermenPAN-RB 14/2017, weights 1/9 each', () => {
    const config = surveySchema.parse({});
    expect(config.instrument.elements.map((e) => e.key)).toEqual([
      'U1',
      'U2',
      'U3',
      'U4',
      'U5',
      'U6',
      'U7',
      'U8',
      'U9',
    ]);
    for (const e of config.instrument.elements) expect(e.weight).toBeCloseTo(1 / 9, 12);
    expect(config.inviteAfterMinutes).toBe(60);
  });

  test('weights that do not sum to 1 are rejected', () => {
    const result = surveySchema.safeParse(withWeights([0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2]));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('weights must sum to 1 (they sum to 1.1)');
  });

  test('re-weighted elements summing to 1 are accepted; missing weights on all elements mean equal shares', () => {
    const ok = surveySchema.parse(withWeights([0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]));
    expect(ok.instrument.elements[0]!.weight).toBe(0.2);
    const equal = surveySchema.parse(withWeights([]));
    expect(equal.instrument.elements[8]!.weight).toBeCloseTo(1 / 9, 12);
  });

  test('weights on some elements only, or a repeated key, are rejected', () => {
    expect(surveySchema.safeParse(withWeights([0.5, 0.5])).success).toBe(false);
    const repeated = withWeights([]);
    repeated.instrument.elements[1]!.key = 'U1';
    expect(surveySchema.safeParse(repeated).success).toBe(false);
  });

  test('service users per month; a bad month is rejected', () => {
    expect(surveySchema.parse({ serviceUsers: { '2026-11': 812 } }).serviceUsers).toEqual({ '2026-11': 812 });
    expect(surveySchema.safeParse({ serviceUsers: { '2026-13': 812 } }).success).toBe(false);
  });
});
