import { CATEGORY_KEYS, type CategoryKey } from '../categories';
import type { Classification, ClassifierInput, ComplaintClassifier } from '../classifier';
import { BIGRAM, CHAR_NGRAM, extractFeatures, featureSource, isStopword, type FeatureList, type FeatureOptions } from './features';
import type { EncodedText } from './feature-encoder';
import type { PhraseMatch, PhraseRules } from './phrase-rules';
import { softmaxInPlace, type LinearModel } from './linear-model';
import type { TextNormalizer } from './text-normalizer';

/**
 * Scores a complaint as: model logits + phraseScale × (sum of matched phrase weights) per kind, then a
 * softmax gives the confidence. The model generalizes from the shipped examples; the phrases carry the
 * office's own knowledge and are what admins tune. Below minConfidence the kind becomes `other`.
 */

export interface ScoringParts {
  normalize: TextNormalizer;
  phrases: PhraseRules;
  model: LinearModel;
  featureOptions: FeatureOptions;
  phraseScale: number;
  minConfidence: number;
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
  withMinConfidence(minConfidence: number): TextClassifier {
    return new TextClassifier({ ...this.parts, minConfidence });
  }

  classify(input: ClassifierInput): Classification {
    const tokens = this.parts.normalize(complaintText(input));
    const features = extractFeatures(tokens, this.parts.featureOptions);
    const encoded = this.parts.model.encoder.encode(features);
    const matches = this.parts.phrases.match(tokens);
    const probabilities = this.probabilities(encoded, matches);

    const best = argmax(probabilities);
    const confident = best !== OTHER_INDEX && probabilities[best]! >= this.parts.minConfidence;
    const category: CategoryKey = confident ? CATEGORY_KEYS[best]! : 'other';
    // Below the threshold the evidence still names what pointed to the likeliest kind: it helps triage.
    const evidence = this.evidence(CATEGORY_KEYS[best]!, best, matches, features, encoded);
    return {
      category,
      confidence: probabilities[best]!,
      targetMinutes: this.parts.targetMinutesByCategory[category],
      evidence,
    };
  }

  /** Probability per kind in CATEGORY_KEYS order. */
  probabilities(encoded: EncodedText, matches: readonly PhraseMatch[]): Float64Array {
    const scores = this.parts.model.logits(encoded, familiarity(encoded.knownWordShare));
    for (const match of matches) scores[CATEGORY_KEYS.indexOf(match.category)]! += this.parts.phraseScale * match.weight;
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

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
