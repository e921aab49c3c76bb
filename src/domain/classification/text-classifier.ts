import { CATEGORY_KEYS, type CategoryKey } from '../categories';
import type { Candidate, Classification, ClassifierInput, ComplaintClassifier, TriageReason } from '../classifier';
import {
  BIGRAM,
  CHAR_NGRAM,
  extractFeatures,
  featureSource,
  isStopword,
  type FeatureList,
  type FeatureOptions,
} from './features';
import type { EncodedText } from './feature-encoder';
import type { PhraseMatch, PhraseRules } from './phrase-rules';
import { softmaxInPlace, type LinearModel } from './linear-model';
import type { TextNormalizer } from './text-normalizer';

/**
 * Scores a complaint as: model logits + phraseScale × (sum of matched phrase weights) per kind, divided
 * by a temperature fitted on cross-validation folds, then a softmax gives a calibrated confidence. The
 * model generalizes from the shipped examples; the phrases carry the office's own knowledge and are what
 * admins tune. The kind becomes `other` (triage) below minConfidence, when the runner-up is within
 * minMargin, or when nothing in the text points to the kind.
 */

export interface ScoringParts {
  normalize: TextNormalizer;
  phrases: PhraseRules;
  model: LinearModel;
  featureOptions: FeatureOptions;
  phraseScale: number;
  /** Logits are divided by it before the softmax (temperature scaling). */
  temperature: number;
  minConfidence: number;
  /** The likeliest kind must beat the runner-up by this much probability to be routed. */
  minMargin: number;
  /** Integrity phrases (pungli, calo, rude or absent staff); matched like kind phrases. */
  integrity?: PhraseRules;
  targetMinutesByCategory: Readonly<Record<CategoryKey, number>>;
}

const MAX_PHRASE_EVIDENCE = 5;
const MAX_TERM_EVIDENCE = 3;
/** Terms that moved the score less than this are noise, not evidence. */
const MIN_TERM_CONTRIBUTION = 0.1;
const FAMILIAR_SHARE = 0.5;
const UNFAMILIAR_SHARE = 0.15;
const OTHER_INDEX = CATEGORY_KEYS.indexOf('other');

export class TextClassifier implements ComplaintClassifier {
  constructor(private readonly parts: ScoringParts) {}

  /** The same trained classifier with another threshold (no retraining). */
  withMinConfidence(minConfidence: number, minMargin = this.parts.minMargin): TextClassifier {
    return new TextClassifier({ ...this.parts, minConfidence, minMargin });
  }

  /** The same trained classifier with another temperature (no retraining): for calibration tools. */
  withTemperature(temperature: number): TextClassifier {
    return new TextClassifier({ ...this.parts, temperature });
  }

  classify(input: ClassifierInput): Classification {
    const tokens = this.parts.normalize(complaintText(input));
    const features = extractFeatures(tokens, this.parts.featureOptions);
    const encoded = this.parts.model.encoder.encode(features);
    const matches = this.parts.phrases.match(tokens);
    const probabilities = this.probabilities(encoded, matches);

    const [best, second] = topTwo(probabilities);
    // Below the threshold the evidence still names what pointed to the likeliest kind: it helps triage.
    const evidence = this.evidence(CATEGORY_KEYS[best]!, best, matches, features, encoded);
    const triage = best === OTHER_INDEX ? undefined : this.triageReason(probabilities, best, second, evidence);
    const category: CategoryKey = best === OTHER_INDEX || triage ? 'other' : CATEGORY_KEYS[best]!;
    const candidates: Candidate[] = [best, second].map((i) => ({
      category: CATEGORY_KEYS[i]!,
      confidence: probabilities[i]!,
    }));
    const integrity = this.parts.integrity?.match(tokens).map((m) => m.phrase) ?? [];
    return {
      category,
      confidence: probabilities[best]!,
      targetMinutes: this.parts.targetMinutesByCategory[category],
      evidence,
      candidates,
      ...(triage ? { triage } : {}),
      ...(integrity.length > 0 ? { integrity } : {}),
    };
  }

  /** Calibrated probability per kind (CATEGORY_KEYS order): for calibration and evaluation tools. */
  probabilitiesOf(input: ClassifierInput): Float64Array {
    const tokens = this.parts.normalize(complaintText(input));
    const encoded = this.parts.model.encoder.encode(extractFeatures(tokens, this.parts.featureOptions));
    return this.probabilities(encoded, this.parts.phrases.match(tokens));
  }

  /** The text as the model sees it (normalized words): compares training and evaluation texts. */
  fingerprint(input: Pick<ClassifierInput, 'subject' | 'text'>): string {
    return this.parts.normalize(complaintText(input)).join(' ');
  }

  private triageReason(
    probabilities: Float64Array,
    best: number,
    second: number,
    evidence: readonly string[],
  ): TriageReason | undefined {
    if (probabilities[best]! < this.parts.minConfidence) return 'low-confidence';
    if (probabilities[best]! - probabilities[second]! < this.parts.minMargin) return 'close-call';
    if (evidence.length === 0) return 'no-evidence';
    return undefined;
  }

  /** Probability per kind in CATEGORY_KEYS order. */
  probabilities(encoded: EncodedText, matches: readonly PhraseMatch[]): Float64Array {
    const scores = this.parts.model.logits(encoded, familiarity(encoded.knownWordShare));
    for (const match of matches)
      scores[CATEGORY_KEYS.indexOf(match.category)]! += this.parts.phraseScale * match.weight;
    const inverse = 1 / this.parts.temperature;
    for (let c = 0; c < scores.length; c++) scores[c]! *= inverse;
    softmaxInPlace(scores);
    return scores;
  }

  private evidence(
    kind: CategoryKey,
    kindIndex: number,
    matches: readonly PhraseMatch[],
    features: FeatureList,
    encoded: EncodedText,
  ): string[] {
    const phrases = matches
      .filter((m) => m.category === kind)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, MAX_PHRASE_EVIDENCE)
      .map((m) => m.phrase);
    const covered = phrases.join(' ').toLowerCase();
    const terms = this.topTerms(kindIndex, features, encoded).filter((term) => !covered.includes(term));
    return [...phrases, ...terms.slice(0, MAX_TERM_EVIDENCE)];
  }

  /** Words (and word pairs) whose features pushed the text most towards the kind. */
  private topTerms(kindIndex: number, features: FeatureList, encoded: EncodedText): string[] {
    // Summed per token position first (numbers only); only the best few become strings.
    // A place qualifies only when the word (or pair) itself is known, not just fragments of it.
    const scores = new Float64Array(features.tokens.length * 2);
    const positionOf = new Int32Array(features.tokens.length * 2).fill(-1);
    for (let j = 0; j < encoded.ids.length; j++) {
      const position = encoded.positions[j]!;
      const group = features.groups[position];
      const place = features.tokenAt[position]! * 2 + (group === BIGRAM ? 1 : 0);
      scores[place]! += this.parts.model.contribution(encoded, j, kindIndex);
      if (group !== CHAR_NGRAM) positionOf[place] = position;
    }
    const ranked: number[] = [];
    for (let place = 0; place < scores.length; place++) {
      if (positionOf[place]! >= 0 && scores[place]! > MIN_TERM_CONTRIBUTION) ranked.push(place);
    }
    ranked.sort((a, b) => scores[b]! - scores[a]!);
    const terms = new Set<string>();
    for (const place of ranked) {
      const term = featureSource(features, positionOf[place]!);
      // Placeholders (_nik_, _telp_) mean nothing to staff, nor do pairs with a function word ("cerai yang").
      if (!term.includes('_') && !term.split(' ').some(isStopword)) terms.add(term);
      if (terms.size >= MAX_TERM_EVIDENCE * 2) break;
    }
    return [...terms];
  }
}

/**
 * How far to trust the model on this text: fully when at least half of its words occur in the training
 * texts (every dev-set complaint but a few), not at all below 15 % (English, Batak, gibberish), so
 * unfamiliar text scores flat and goes to triage instead of being forced into a kind.
 */
function familiarity(knownWordShare: number): number {
  return Math.min(1, Math.max(0, (knownWordShare - UNFAMILIAR_SHARE) / (FAMILIAR_SHARE - UNFAMILIAR_SHARE)));
}

/** Subject and body as one text: an email subject often names the service better than the body. */
export function complaintText(input: Pick<ClassifierInput, 'subject' | 'text'>): string {
  const text = typeof input.text === 'string' ? input.text : '';
  return typeof input.subject === 'string' && input.subject !== '' ? `${input.subject}\n${text}` : text;
}

/** Indices of the largest and second-largest values. */
function topTwo(values: Float64Array): [number, number] {
  let best = 0;
  let second = 1;
  if (values[1]! > values[0]!) [best, second] = [1, 0];
  for (let i = 2; i < values.length; i++) {
    if (values[i]! > values[best]!) [best, second] = [i, best];
    else if (values[i]! > values[second]!) second = i;
  }
  return [best, second];
}
