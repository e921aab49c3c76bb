import { computeSkm, gradeOf, krejcieMorganSampleSize, representativeness, round2 } from '../../../src/domain/skm';
import {
  DEFAULT_INSTRUMENT,
  type Score,
  type SurveyInstrument,
  type SurveyResponse,
} from '../../../src/domain/survey-instrument';

function response(scores: Score[], extra: Partial<SurveyResponse> = {}): SurveyResponse {
  const answers: Record<string, Score> = {};
  scores.forEach((s, i) => (answers[`U${i + 1}`] = s));
  return {
    id: String(Math.random()),
    source: 'service',
    submittedAt: '2026-11-03T02:00:00Z',
    answers,
    via: 'page',
    ...extra,
  };
}

describe('SKM computation (PermenPAN-RB 14/2017)', () => {
  test('all answers 3 → SKM 3.00 → 75.00 → C Kurang baik', () => {
    const result = computeSkm([response(Array(9).fill(3)), response(Array(9).fill(3))], DEFAULT_INSTRUMENT);
    expect(result.n).toBe(2);
    expect(result.skm).toBeCloseTo(3, 10);
    expect(result.converted).toBe(75);
    expect(result.grade).toBe('C');
    expect(result.gradeLabel).toBe('Kurang baik');
  });

  test.each([
    [100, 'A'],
    [88.31, 'A'],
    [88.3, 'B'],
    [88.305, 'A'],
    [76.61, 'B'],
    [76.6, 'C'],
    [76.605, 'B'],
    [76.6049, 'C'],
    [65, 'C'],
    [64.99, 'D'],
    [64.995, 'C'],
    [25, 'D'],
  ])('converted %p → grade %s', (converted, grade) => {
    expect(gradeOf(converted)).toBe(grade);
  });

  test('NRR per element counts only those who answered it; an unanswered element is left out of the weights', () => {
    const a = response([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    const b = response([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    delete b.answers.U9;
    const result = computeSkm([a, b], DEFAULT_INSTRUMENT);
    expect(result.elements.find((e) => e.key === 'U1')).toMatchObject({ n: 2, nrr: 3 });
    expect(result.elements.find((e) => e.key === 'U9')).toMatchObject({ n: 1, nrr: 4 });
    // (8 × 3 + 4) / 9 = 3.111… → 77.78 → B
    expect(result.converted).toBe(77.78);
    expect(result.grade).toBe('B');
    const onlyU1 = computeSkm([{ ...response([]), answers: { U1: 2 } }], DEFAULT_INSTRUMENT);
    expect(onlyU1.converted).toBe(50);
  });

  test('the instrument weights are applied (a re-weighted instrument)', () => {
    const instrument: SurveyInstrument = {
      ...DEFAULT_INSTRUMENT,
      elements: DEFAULT_INSTRUMENT.elements.map((e, i) => ({ ...e, weight: i === 0 ? 0.2 : 0.1 })),
    };
    const result = computeSkm([response([4, 2, 2, 2, 2, 2, 2, 2, 2])], instrument);
    // 0.2 × 4 + 0.8 × 2 = 2.4 → 60.00 → D
    expect(result.skm).toBeCloseTo(2.4, 10);
    expect(result.converted).toBe(60);
    expect(result.grade).toBe('D');
  });

  test('lowest elements, overall mean and masked suggestions (newest first)', () => {
    const result = computeSkm(
      [
        response([4, 4, 1, 4, 4, 4, 4, 2, 4], {
          overall: 2,
          suggestion: 'Hubungi saya 081234567890',
          submittedAt: '2026-11-02T00:00:00Z',
        }),
        response([4, 4, 2, 4, 4, 4, 4, 2, 3], {
          overall: 4,
          suggestion: 'NIK 1211025506900003 belum aktif',
          submittedAt: '2026-11-05T00:00:00Z',
        }),
        response([4, 4, 4, 4, 4, 4, 4, 4, 4], { suggestion: '   ' }),
      ],
      DEFAULT_INSTRUMENT,
    );
    expect(result.lowest.map((e) => e.key)).toEqual(['U3', 'U8', 'U9']);
    expect(result.overall).toEqual({ n: 2, mean: 3 });
    expect(result.suggestions).toHaveLength(2);
    expect(result.suggestions[0]).toContain('0003');
    expect(result.suggestions[0]).not.toContain('1211025506900003');
    expect(result.suggestions[1]).not.toContain('081234567890');
  });

  test('no responses: N 0, no value, no grade', () => {
    const result = computeSkm([], DEFAULT_INSTRUMENT);
    expect(result).toMatchObject({ n: 0, lowest: [], suggestions: [] });
    expect(result.grade).toBeUndefined();
  });

  test('round2 has no floating gaps', () => {
    expect(round2(76.605)).toBe(76.61);
    expect(round2((3 / 9) * 9 * 25)).toBe(75);
  });
});

describe('Krejcie–Morgan sample size', () => {
  test.each([
    [100, 80],
    [200, 132],
    [500, 217],
    [1_000, 278],
    [2_000, 322],
    [5_000, 357],
    [10_000, 370],
    [100_000, 384],
    [1_000_000, 384],
    [10, 10],
    [0, 0],
  ])('population %p → %p', (population, sample) => {
    expect(krejcieMorganSampleSize(population)).toBe(sample);
  });

  test('representativeness against the period’s service users', () => {
    expect(representativeness(300, 812)).toEqual({ target: 261, reached: true });
    expect(representativeness(100, 812)).toEqual({ target: 261, reached: false });
    expect(representativeness(100, undefined)).toEqual({ reached: false });
  });
});
