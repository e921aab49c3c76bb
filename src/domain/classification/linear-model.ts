import type { EncodedText, FeatureEncoder } from './feature-encoder';
// Hot loops use local aliases: inside a vm context (Jest) every `Math.x` lookup goes through the global proxy.
const { exp } = Math;

/**
 * What both trainers produce: per class a bias plus one weight per feature. A class score is the bias
 * plus the weighted sum of the text's feature values, so every score can be explained feature by feature.
 */
export class LinearModel {
  constructor(
    readonly encoder: FeatureEncoder,
    /** weights[featureId * classCount + class], centred per feature (see centre()). */
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly classCount: number,
  ) {
    centre(weights, classCount);
  }

  /** Raw class scores (logits); `featureScale` < 1 shrinks the features' part towards the bias. */
  logits(encoded: EncodedText, featureScale = 1): Float64Array {
    const out = Float64Array.from(this.bias);
    const k = this.classCount;
    for (let j = 0; j < encoded.ids.length; j++) {
      const base = encoded.ids[j]! * k;
      const value = encoded.values[j]! * featureScale;
      for (let c = 0; c < k; c++) out[c]! += this.weights[base + c]! * value;
    }
    return out;
  }

  /** The model whose scores are a·(this model's) + b·(other's), e.g. to blend two trainers. */
  blend(a: number, other: LinearModel, b: number): LinearModel {
    if (other.encoder !== this.encoder) throw new Error('only models over the same encoder can be blended');
    const weights = this.weights.map((w, i) => a * w + b * other.weights[i]!);
    const bias = this.bias.map((w, i) => a * w + b * other.bias[i]!);
    return new LinearModel(this.encoder, weights, bias, this.classCount);
  }

  /** How much the j-th encoded feature favours class c over the average class. */
  contribution(encoded: EncodedText, j: number, c: number): number {
    return this.weights[encoded.ids[j]! * this.classCount + c]! * encoded.values[j]!;
  }
}

/** Subtracting each feature's mean over classes leaves every softmax unchanged and makes weights readable. */
function centre(weights: Float64Array, k: number): void {
  for (let base = 0; base < weights.length; base += k) {
    let mean = 0;
    for (let c = 0; c < k; c++) mean += weights[base + c]!;
    mean /= k;
    for (let c = 0; c < k; c++) weights[base + c]! -= mean;
  }
}

export function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = exp(scores[c]! - max);
    sum += scores[c]!;
  }
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
}
