import { fitTemperature, reliability } from '../../../src/domain/classification';
import { mulberry32 } from '../../../src/domain/classification/random';

/** Synthetic scores whose labels are drawn from softmax(logits / trueTemperature). */
function synthetic(trueTemperature: number, count: number) {
  const random = mulberry32(3);
  const softmax = (z: number[]) => {
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  };
  return Array.from({ length: count }, () => {
    const logits = Array.from({ length: 5 }, () => random() * 8);
    const truth = softmax(logits.map((z) => z / trueTemperature));
    let u = random();
    let gold = 0;
    while (gold < 4 && u > truth[gold]!) u -= truth[gold++]!;
    return { probabilities: softmax(logits), gold };
  });
}

describe('calibration', () => {
  it('recovers the temperature that generated the labels', () => {
    expect(fitTemperature(synthetic(2, 4000))).toBeCloseTo(2, 0);
    expect(fitTemperature(synthetic(0.5, 4000))).toBeCloseTo(0.5, 1);
  });

  it('ECE is near zero when confidence matches accuracy and large when overconfident', () => {
    const honest = reliability([0.75, 0.75, 0.75, 0.75], [true, true, true, false]);
    expect(honest.ece).toBeCloseTo(0, 9);
    expect(honest.bins).toEqual([{ from: 0.7, to: 0.8, count: 4, meanConfidence: 0.75, accuracy: 0.75 }]);
    expect(reliability([0.99, 0.99], [false, true]).ece).toBeCloseTo(0.49, 9);
  });
});
