/**
 * Calibration: a confidence of 0.8 should be right about 80 % of the time. Temperature scaling (one
 * divisor for all logits, fitted by minimizing the negative log-likelihood of out-of-fold scores) keeps
 * the ranking of kinds and fixes over- or under-confidence; the reliability table and the expected
 * calibration error (ECE) show how well it worked.
 */

export interface ScoredExample {
  /** Probability per kind (CATEGORY_KEYS order), as the classifier gave it. */
  probabilities: ArrayLike<number>;
  /** Index of the labelled kind. */
  gold: number;
}

const MIN_PROBABILITY = 1e-12;

/** Mean negative log-likelihood of the labelled kinds after dividing the log-probabilities by `temperature`. */
export function negativeLogLikelihood(examples: readonly ScoredExample[], temperature: number): number {
  let total = 0;
  for (const { probabilities, gold } of examples) {
    let max = -Infinity;
    const logits = Array.from(probabilities, (p) => Math.log(Math.max(p, MIN_PROBABILITY)) / temperature);
    for (const l of logits) if (l > max) max = l;
    let sum = 0;
    for (const l of logits) sum += Math.exp(l - max);
    total -= logits[gold]! - max - Math.log(sum);
  }
  return examples.length === 0 ? 0 : total / examples.length;
}

/**
 * The factor by which to multiply the classifier's temperature: golden-section search on log(T) in
 * [0.1, 10] (the likelihood is unimodal in T).
 */
export function fitTemperature(examples: readonly ScoredExample[]): number {
  let low = Math.log(0.1);
  let high = Math.log(10);
  const ratio = (Math.sqrt(5) - 1) / 2;
  const loss = (logT: number) => negativeLogLikelihood(examples, Math.exp(logT));
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = loss(a);
  let lossB = loss(b);
  for (let i = 0; i < 40; i++) {
    if (lossA < lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = loss(a);
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = loss(b);
    }
  }
  return Math.exp((low + high) / 2);
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error: Σ (bin share × |accuracy − mean confidence|). */
  ece: number;
}

/** Reliability table over equal-width confidence bins; empty bins are left out. */
export function reliability(confidences: readonly number[], correct: readonly boolean[], binCount = 10): Reliability {
  const sums = Array.from({ length: binCount }, () => ({ count: 0, confidence: 0, correct: 0 }));
  confidences.forEach((confidence, i) => {
    const bin = sums[Math.min(binCount - 1, Math.max(0, Math.floor(confidence * binCount)))]!;
    bin.count++;
    bin.confidence += confidence;
    if (correct[i]) bin.correct++;
  });
  const total = confidences.length;
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  sums.forEach((bin, i) => {
    if (bin.count === 0) return;
    const meanConfidence = bin.confidence / bin.count;
    const accuracy = bin.correct / bin.count;
    ece += (bin.count / total) * Math.abs(accuracy - meanConfidence);
    bins.push({ from: i / binCount, to: (i + 1) / binCount, count: bin.count, meanConfidence, accuracy });
  });
  return { bins, ece };
}
