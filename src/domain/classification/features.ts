/**
 * Sparse features of a normalized token list: word unigrams, word bigrams and character n-grams inside
 * each word. Character n-grams let the model generalize over affixes and typos ("perkawinan",
 * "kawinnya", "kawn") without a full stemmer. Features are 30-bit hashes (no string per n-gram, which
 * keeps classification fast); each remembers the token it came from, so the model's evidence can be
 * shown to staff as words rather than fragments.
 */

// Hot loops use local aliases: inside a vm context (Jest) every `Math.x` lookup goes through the global proxy.
const { imul } = Math;

export interface FeatureOptions {
  charNgramMin: number;
  /** Below charNgramMin disables character n-grams. */
  charNgramMax: number;
  bigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { charNgramMin: 3, charNgramMax: 4, bigrams: true };

export const WORD = 0;
export const BIGRAM = 1;
export const CHAR_NGRAM = 2;
export const FEATURE_GROUPS = 3;

export interface FeatureList {
  tokens: readonly string[];
  /** Hash of each feature (group and n are part of the hash). */
  keys: number[];
  /** WORD, BIGRAM or CHAR_NGRAM per feature. */
  groups: number[];
  /** Token the feature came from (a bigram: its first token). */
  tokenAt: number[];
}

/** Function words that carry no kind on their own; they still take part in bigrams ("apa saja"). */
const STOPWORDS = new Set([
  'yang',
  'dan',
  'di',
  'ke',
  'dari',
  'ini',
  'itu',
  'untuk',
  'dengan',
  'ada',
  'atau',
  'juga',
  'karena',
  'pada',
  'dalam',
  'akan',
  'sudah',
  'saya',
  'kami',
  'kita',
  'anda',
  'bapak',
  'ibu',
  'pak',
  'bu',
  'kak',
  'admin',
  'mohon',
  'tolong',
  'terima',
  'kasih',
  'selamat',
  'pagi',
  'siang',
  'sore',
  'malam',
  'nya',
  'lah',
  'ya',
  'sih',
  'dong',
  'deh',
  'kok',
  'nih',
  'tuh',
  'the',
  'a',
  'e',
  'se',
  'tersebut',
  'ia',
  'dia',
  'mereka',
  'adalah',
  'oleh',
  'agar',
  'supaya',
  'bisa',
  'apakah',
]);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

export function extractFeatures(
  tokens: readonly string[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): FeatureList {
  const list: FeatureList = { tokens, keys: [], groups: [], tokenAt: [] };
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!;
    if (!STOPWORDS.has(word)) {
      push(list, hashString(word, 0x9e3779b1), WORD, i);
      if (!word.startsWith('_')) addCharNgrams(list, word, i, options);
    }
    if (options.bigrams && i + 1 < tokens.length) {
      const next = tokens[i + 1]!;
      push(list, hashString(next, hashString(word, 0x85ebca6b) ^ 0x20), BIGRAM, i);
    }
  }
  return list;
}

/** Readable form of the token(s) a feature came from, for evidence. */
export function featureSource(list: FeatureList, index: number): string {
  const at = list.tokenAt[index]!;
  return list.groups[index] === BIGRAM ? `${list.tokens[at]} ${list.tokens[at + 1]}` : list.tokens[at]!;
}

function push(list: FeatureList, key: number, group: number, tokenAt: number): void {
  list.keys.push(key);
  list.groups.push(group);
  list.tokenAt.push(tokenAt);
}

/** n-grams of "<word>" ("<" and ">" mark the word's edges, so prefixes and suffixes are features too). */
function addCharNgrams(list: FeatureList, word: string, tokenAt: number, options: FeatureOptions): void {
  const length = word.length + 2;
  const codeAt = (i: number) => (i === 0 ? 60 : i === length - 1 ? 62 : word.charCodeAt(i - 1));
  for (let n = options.charNgramMin; n <= options.charNgramMax && n <= length; n++) {
    for (let start = 0; start + n <= length; start++) {
      let hash = (0x811c9dc5 ^ (n * 0x01000193)) >>> 0;
      for (let i = start; i < start + n; i++) hash = imul(hash ^ codeAt(i), 0x01000193);
      push(list, (hash >>> 2) ^ 0x15, CHAR_NGRAM, tokenAt);
    }
  }
}

/** FNV-1a, reduced to 30 bits so it stays a small integer (fast Map key). */
function hashString(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 2;
}
