import type { EncodedText, FeatureEncoder } from './feature-encoder';
import { LinearModel } from './linear-model';

// Hot loops use local aliases: inside a vm context (Jest) every `Math.x` lookup goes through the global proxy.
const { log } = Math;

/**
 * Multinomial naive Bayes over the encoded feature values: weight = log P(feature | kind) with additive
 * smoothing, bias = log P(kind). Training is one counting pass. `scale` tempers the sum of many
 * log-probabilities, which naive Bayes otherwise turns into overconfident probabilities.
 */

export interface NaiveBayesOptions {
  smoothing: number;
  scale: number;
}

export const DEFAULT_NAIVE_BAYES_OPTIONS: NaiveBayesOptions = { smoothing: 0.1, scale: 1 };

export function trainNaiveBayes(
  encoder: FeatureEncoder,
  texts: readonly { encoded: EncodedText; label: number }[],
  classCount: number,
  options: NaiveBayesOptions = DEFAULT_NAIVE_BAYES_OPTIONS,
): LinearModel {
  const k = classCount;
  const counts = new Float64Array(encoder.size * k);
  const totals = new Float64Array(k);
  const documents = new Float64Array(k);
  for (const { encoded, label } of texts) {
    documents[label]!++;
    for (let j = 0; j < encoded.ids.length; j++) {
      counts[encoded.ids[j]! * k + label]! += encoded.values[j]!;
      totals[label]! += encoded.values[j]!;
    }
  }
  const weights = new Float64Array(counts.length);
  for (let f = 0; f < encoder.size; f++) {
    for (let c = 0; c < k; c++) {
      const probability = (counts[f * k + c]! + options.smoothing) / (totals[c]! + options.smoothing * encoder.size);
      weights[f * k + c] = options.scale * log(probability);
    }
  }
  // Kinds without examples get a tiny prior instead of log(0).
  const bias = Float64Array.from(documents, (n) => Math.log((n + 0.01) / (texts.length + 0.01 * k)));
  return new LinearModel(encoder, weights, bias, k);
}
