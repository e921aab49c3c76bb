/**
 * Turns complaint text as citizens write it (chat slang, repeated letters, emoji, NIK and phone numbers)
 * into a list of canonical lowercase tokens, so that phrase rules and the statistical model see
 * "sy blm bs ambil e-ktp nyaaa 🙏🙏" and "Saya belum bisa ambil KTP-el nya!" the same way.
 */

/** Placeholder tokens: the numbers themselves never reach features or evidence. */
export const NIK_TOKEN = '_nik_';
export const PHONE_TOKEN = '_telp_';
/** Added after a place outside Kabupaten Dairi ("nikah di Medan"): where an event happened decides some kinds. */
export const OUTSIDE_DAIRI_TOKEN = '_luar_dairi_';

/** Longer texts are cut: a complaint states its kind early, and 100 KB pastes must stay fast. */
export const DEFAULT_MAX_CHARS = 6000;

export interface TextNormalizerOptions {
  /** Slang/abbreviation → canonical form (may be several words); keys lowercase. */
  slang: Readonly<Record<string, string>>;
  /** Optional stemmer applied after slang expansion (measured, off by default). */
  stem?: (word: string) => string;
  /** Places outside Kabupaten Dairi (one or more words each), marked with OUTSIDE_DAIRI_TOKEN. */
  outsidePlaces?: readonly string[];
  /** Words known to be spelled with a double letter ("maaf", "saat"), to undo over-collapsing. */
  knownWords?: ReadonlySet<string>;
  maxChars?: number;
}

export type TextNormalizer = (text: string) => string[];

const SIXTEEN_DIGITS = /(?<!\d)\d(?:[ .-]?\d){15}(?!\d)/g;
const PHONE_LIKE = /(?<![\d+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,5}){2,4}(?!\d)/g;
const TOKEN = /[a-z0-9_]+(?:-[a-z0-9_]+)*/g;
const RUN_OF_THREE = /([a-z])\1{2,}/g;
const HAS_RUN_OF_THREE = /([a-z])\1{2}/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
// Words that merely end in "nya", so no clitic may be cut from them.
const WORDS_ENDING_IN_NYA = new Set(['tanya', 'bertanya', 'ditanya', 'punya', 'hanya', 'sanya']);

/** Replaces NIK/KK-like numbers and phone numbers by placeholder words. */
export function maskNumbers(text: string): string {
  return text.replace(SIXTEEN_DIGITS, ` ${NIK_TOKEN} `).replace(PHONE_LIKE, ` ${PHONE_TOKEN} `);
}

export function createTextNormalizer(options: TextNormalizerOptions): TextNormalizer {
  const slang = new Map(
    Object.entries(options.slang).map(([k, v]) => [k.toLowerCase(), v.toLowerCase().split(/\s+/).filter(Boolean)]),
  );
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const known = options.knownWords ?? new Set<string>();
  const stem = options.stem;
  const cache = new Map<string, string[]>();
  const stemCache = new Map<string, string>();

  const canonical = (raw: string): string[] => {
    const cached = cache.get(raw);
    if (cached) return cached;
    const result = canonicalWord(raw, slang, known);
    if (cache.size < 50_000) cache.set(raw, result);
    return result;
  };
  const stemmed = (word: string): string => {
    if (!stem || word.startsWith('_')) return word;
    let found = stemCache.get(word);
    if (found === undefined) {
      found = stem(word);
      if (stemCache.size < 50_000) stemCache.set(word, found);
    }
    return found;
  };
  const plainWords = (text: string): string[] => {
    const clipped = text.length > maxChars ? text.slice(0, maxChars) : text;
    const lowered = maskNumbers(clipped).normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
    const tokens: string[] = [];
    for (const match of lowered.matchAll(TOKEN)) {
      // Plain numbers (dates, counts, house numbers) say nothing about the kind of complaint.
      if (/^\d+$/.test(match[0])) continue;
      for (const word of canonical(match[0])) tokens.push(word);
    }
    return tokens;
  };
  const places = compilePlaces(options.outsidePlaces ?? [], plainWords);

  return (text: string): string[] => markPlaces(plainWords(text), places).map(stemmed);
}

/** Place names as token sequences, indexed by their first token. */
function compilePlaces(names: readonly string[], tokenize: (text: string) => string[]): Map<string, string[][]> {
  const byFirst = new Map<string, string[][]>();
  for (const name of names) {
    const tokens = tokenize(name);
    if (tokens.length === 0) continue;
    const list = byFirst.get(tokens[0]!) ?? [];
    list.push(tokens);
    byFirst.set(tokens[0]!, list);
  }
  return byFirst;
}

function markPlaces(tokens: string[], places: Map<string, string[][]>): string[] {
  if (places.size === 0) return tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    out.push(tokens[i]!);
    const candidates = places.get(tokens[i]!);
    if (!candidates) continue;
    const place = candidates.find((p) => p.every((t, j) => tokens[i + j] === t));
    if (!place) continue;
    for (let j = 1; j < place.length; j++) out.push(tokens[i + j]!);
    i += place.length - 1;
    out.push(OUTSIDE_DAIRI_TOKEN);
  }
  return out;
}

/** One raw token → canonical words: slang first, then reduplication/hyphen splitting, letter runs, clitics. */
function canonicalWord(raw: string, slang: Map<string, string[]>, known: ReadonlySet<string>): string[] {
  const direct = slang.get(raw) ?? slang.get(stripClitic(raw));
  if (direct) return direct;
  // "syarat2" is the chat spelling of "syarat-syarat".
  if (/^[a-z]{2,}2$/.test(raw)) return canonicalWord(raw.slice(0, -1), slang, known);
  if (raw.includes('-')) {
    const parts = raw.split('-').filter(Boolean);
    // "surat-surat" is one word repeated; "e-ktp" would have been found in slang above.
    if (parts.length === 2 && parts[0] === parts[1]) return canonicalWord(parts[0]!, slang, known);
    return parts.flatMap((part) => canonicalWord(part, slang, known));
  }
  const collapsed = collapseRuns(raw, known);
  if (collapsed !== raw) return canonicalWord(collapsed, slang, known);
  const bare = stripClitic(raw);
  if (bare !== raw) return slang.get(bare) ?? [bare];
  return [raw];
}

/** "tolonggg" → "tolong", "maaaaf" → "maaf" when "maaf" is a known word. */
function collapseRuns(word: string, known: ReadonlySet<string>): string {
  if (!HAS_RUN_OF_THREE.test(word)) return word;
  const doubled = word.replace(RUN_OF_THREE, '$1$1');
  if (known.has(doubled) || known.has(stripClitic(doubled))) return doubled;
  return word.replace(RUN_OF_THREE, '$1');
}

/** "ktpnya" → "ktp", "syaratnya" → "syarat"; roots like "bertanya" and short words are left alone. */
function stripClitic(word: string): string {
  if (word.length < 5 || !word.endsWith('nya')) return word;
  if (WORDS_ENDING_IN_NYA.has(word)) return word;
  return word.slice(0, -3);
}
