import { CATEGORY_KEYS, type CategoryKey } from '../categories';
import { parseTarget, targetMinutes } from '../target';
import type { Example } from './cross-validation';
import { FeatureEncoder } from './feature-encoder';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureList, type FeatureOptions } from './features';
import type { LinearModel } from './linear-model';
import { DEFAULT_NAIVE_BAYES_OPTIONS, trainNaiveBayes, type NaiveBayesOptions } from './naive-bayes';
import { PhraseRules, type PhraseRuleInput } from './phrase-rules';
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmaxRegression, type SoftmaxOptions } from './softmax-regression';
import { complaintText, TextClassifier } from './text-classifier';
import { createTextNormalizer, type TextNormalizer } from './text-normalizer';

export { createTextNormalizer, maskNumbers, NIK_TOKEN, OUTSIDE_DAIRI_TOKEN, PHONE_TOKEN } from './text-normalizer';
export { evaluate, formatEvaluation, stratifiedFolds, type Evaluation } from './metrics';
export { crossValidate, evaluateClassifier } from './cross-validation';
export { TextClassifier } from './text-classifier';
export { fitTemperature, reliability, type Reliability, type ScoredExample } from './calibration';
export { evaluateDecisions, formatDecisionReport, type DecisionReport } from './decision-metrics';

/** What the classifier needs of each kind in config/categories.yaml (CategoryConfig fits). */
export interface CategorySettings {
  target: string;
  phrases: readonly { phrase: string; weight: number }[];
}

export type LabelledExample = Example;

/** Knobs chosen once by cross-validation on the project's own examples, not per example. */
export interface ClassifierTuning {
  phraseScale: number;
  features: FeatureOptions;
  /** Per feature group (word, bigram, char n-gram): its share of the input norm. */
  groupWeights: readonly [number, number, number];
  /** Features seen in fewer training texts are ignored. */
  minDocFrequency: number;
  model: 'logistic-regression' | 'naive-bayes' | 'blend';
  /** With model 'blend': scores = (1 − share)·logistic regression + share·naive Bayes. */
  naiveBayesShare: number;
  logisticRegression: SoftmaxOptions;
  /**
   * More logistic regressions averaged (a small ensemble): one per extra seed, each trained on the same
   * features in another order. Empty: one regression.
   */
  extraSeeds: readonly number[];
  naiveBayes: NaiveBayesOptions;
  /** Temperature that calibrates the confidence; fitted on out-of-fold scores (bench/eval-classifier.ts). */
  temperature: number;
  /** Optional stemmer. Off: measured with @orama/stemmers (Indonesian), it lowered accuracy (bench/eval-classifier.ts --stemmer). */
  stem?: (word: string) => string;
}

/** Chosen by 5-fold cross-validation and leave-one-author-out validation on data/training only (bench/eval-classifier.ts --compare). */
export const DEFAULT_TUNING: ClassifierTuning = {
  phraseScale: 0.4,
  features: DEFAULT_FEATURE_OPTIONS,
  // Word pairs weigh more and character n-grams less than before, and features seen once are kept: the best
  // leave-one-author-out figures of the December 2026 comparison (docs/classifier.md).
  groupWeights: [1, 1.5, 0.35],
  minDocFrequency: 1,
  model: 'blend',
  naiveBayesShare: 0.2,
  logisticRegression: DEFAULT_SOFTMAX_OPTIONS,
  extraSeeds: [],
  naiveBayes: DEFAULT_NAIVE_BAYES_OPTIONS,
  temperature: 0.88,
};

export interface BuildClassifierOptions {
  categories: Readonly<Record<CategoryKey, CategorySettings>>;
  slang: Readonly<Record<string, string>>;
  /** Places outside Kabupaten Dairi (outsideDairi in config/slang.yaml). */
  outsidePlaces?: readonly string[];
  examples: readonly LabelledExample[];
  /** Below this confidence the result is `other` (human triage); routing.minConfidence in config. */
  minConfidence: number;
  /** A kind must beat the runner-up by this much probability, else triage; routing.minMargin in config. */
  minMargin?: number;
  /** Integrity phrases (integrity.phrases in config/categories.yaml): pungli, calo, rude or absent staff. */
  integrityPhrases?: readonly string[];
  tuning?: Partial<ClassifierTuning>;
}

/** Builds the phrase rules and trains the model on the shipped examples (well under a second for ~600). */
export function buildClassifier(options: BuildClassifierOptions): TextClassifier {
  const tuning: ClassifierTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const normalize = buildNormalizer(options, tuning);
  const phrases = new PhraseRules(phraseRulesOf(options.categories), normalize);
  const model = trainModel(
    options.examples.map((example) => ({
      features: extractFeatures(normalize(complaintText(example)), tuning.features),
      label: CATEGORY_KEYS.indexOf(example.category),
    })),
    tuning,
  );
  return new TextClassifier({
    normalize,
    phrases,
    model,
    featureOptions: tuning.features,
    phraseScale: tuning.phraseScale,
    temperature: tuning.temperature,
    minConfidence: options.minConfidence,
    minMargin: options.minMargin ?? 0,
    ...(options.integrityPhrases?.length ? { integrity: integrityRules(options.integrityPhrases, normalize) } : {}),
    targetMinutesByCategory: targetMinutesOf(options.categories),
  });
}

function trainModel(examples: { features: FeatureList; label: number }[], tuning: ClassifierTuning): LinearModel {
  const encoder = FeatureEncoder.fromTraining(
    examples.map((e) => e.features),
    tuning.minDocFrequency,
    tuning.groupWeights,
  );
  const encoded = examples.map((e) => ({ encoded: encoder.encode(e.features), label: e.label }));
  const classes = CATEGORY_KEYS.length;
  if (tuning.model === 'naive-bayes') return trainNaiveBayes(encoder, encoded, classes, tuning.naiveBayes);
  let regression = trainSoftmaxRegression(encoder, encoded, classes, tuning.logisticRegression);
  tuning.extraSeeds.forEach((seed, i) => {
    const another = trainSoftmaxRegression(encoder, encoded, classes, { ...tuning.logisticRegression, seed });
    // A running mean: after i + 2 models each weighs the same.
    regression = regression.blend((i + 1) / (i + 2), another, 1 / (i + 2));
  });
  if (tuning.model === 'logistic-regression') return regression;
  const bayes = trainNaiveBayes(encoder, encoded, classes, tuning.naiveBayes);
  return regression.blend(1 - tuning.naiveBayesShare, bayes, tuning.naiveBayesShare);
}

function buildNormalizer(options: BuildClassifierOptions, tuning: ClassifierTuning): TextNormalizer {
  // Words spelled with a double letter in the examples and phrases ("maaf", "saat") survive "maaaf".
  const plain = createTextNormalizer({ slang: options.slang });
  const knownWords = new Set<string>();
  for (const example of options.examples) for (const word of plain(complaintText(example))) knownWords.add(word);
  for (const rule of phraseRulesOf(options.categories)) for (const word of plain(rule.phrase)) knownWords.add(word);
  return createTextNormalizer({
    slang: options.slang,
    knownWords,
    ...(tuning.stem ? { stem: tuning.stem } : {}),
    ...(options.outsidePlaces ? { outsidePlaces: options.outsidePlaces } : {}),
  });
}

/** Integrity phrases matched like kind phrases; any match flags the complaint. */
function integrityRules(phrases: readonly string[], normalize: TextNormalizer): PhraseRules {
  return new PhraseRules(
    phrases.map((phrase) => ({ category: 'other', phrase, weight: 1 })),
    normalize,
  );
}

function phraseRulesOf(categories: BuildClassifierOptions['categories']): PhraseRuleInput[] {
  return CATEGORY_KEYS.flatMap((category) =>
    categories[category].phrases.map((p) => ({ category, phrase: p.phrase, weight: p.weight })),
  );
}

function targetMinutesOf(categories: BuildClassifierOptions['categories']): Record<CategoryKey, number> {
  return Object.fromEntries(
    CATEGORY_KEYS.map((key) => [key, targetMinutes(parseTarget(categories[key].target))]),
  ) as Record<CategoryKey, number>;
}
