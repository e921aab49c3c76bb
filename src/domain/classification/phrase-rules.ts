import type { CategoryKey } from '../categories';
import { OUTSIDE_DAIRI_TOKEN, type TextNormalizer } from './text-normalizer';

/**
 * Weighted phrase rules from config/categories.yaml. Phrases are normalized like complaint text (so
 * "akte" in a rule matches "akta", "e-ktp" and "ktp el"), then matched as whole-word sequences.
 * - Up to two filler words (pronouns, particles, family members) may stand between the words of a
 *   phrase, so "ktp belum jadi" also matches "KTP saya belum jadi".
 * - " ... " in a phrase allows up to six other words there: "syarat ... apa saja" matches
 *   "syarat pindah ke Medan apa aja".
 * - When the words one match found are all part of a longer match ("menikah" inside "belum menikah"),
 *   only the longer, more specific phrase counts.
 */

const FILLERS = new Set([
  'saya',
  'aku',
  'kami',
  'kita',
  'anda',
  'dia',
  'beliau',
  'mereka',
  'nya',
  'ya',
  'kok',
  'sih',
  'juga',
  'masih',
  'pun',
  'anak',
  'istri',
  'suami',
  'ibu',
  'bapak',
  'ayah',
  'orang',
  'tua',
  'adik',
  'kakak',
  'kak',
  'keluarga',
]);
const MAX_FILLERS = 2;
const MAX_GAP = 6;
const GAP = /\s*(?:\.\.\.|\u2026)\s*/;

export interface PhraseRuleInput {
  category: CategoryKey;
  phrase: string;
  weight: number;
}

interface CompiledRule extends PhraseRuleInput {
  /** Token sequences separated by " ... " in the phrase. */
  segments: string[][];
  /** The phrase as staff see it in the evidence. */
  display: string;
}

export interface PhraseMatch {
  category: CategoryKey;
  phrase: string;
  weight: number;
}

interface Found {
  rule: CompiledRule;
  /** Token positions the phrase's words matched (fillers and gaps excluded), ascending. */
  positions: number[];
}

export class PhraseRules {
  private readonly byFirstToken = new Map<string, CompiledRule[]>();

  constructor(rules: readonly PhraseRuleInput[], normalize: TextNormalizer) {
    for (const rule of rules) {
      const segments = rule.phrase
        .split(GAP)
        .map((part) => normalize(part))
        .filter((tokens) => tokens.length > 0);
      if (segments.length === 0) continue;
      const first = segments[0]![0]!;
      const list = this.byFirstToken.get(first) ?? [];
      list.push({ ...rule, segments, display: rule.phrase.split(OUTSIDE_DAIRI_TOKEN).join('luar Dairi') });
      this.byFirstToken.set(first, list);
    }
  }

  /** Distinct phrases found in the tokens, in text order; a phrase inside a longer match is left out. */
  match(tokens: readonly string[]): PhraseMatch[] {
    const found: Found[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirstToken.get(tokens[i]!);
      if (!candidates) continue;
      for (const rule of candidates) {
        const positions = matchRule(tokens, i, rule.segments);
        if (positions) found.push({ rule, positions });
      }
    }
    const specific = found.filter(
      (f, i) => !found.some((other, j) => isPartOf(f.positions, other.positions) || isDuplicate(f, i, other, j)),
    );
    const seen = new Set<CompiledRule>();
    const matches: PhraseMatch[] = [];
    for (const { rule } of specific) {
      if (seen.has(rule)) continue;
      seen.add(rule);
      matches.push({ category: rule.category, phrase: rule.display, weight: rule.weight });
    }
    return matches;
  }
}

/** Positions of the phrase's words when it matches from `start`, else undefined. */
function matchRule(tokens: readonly string[], start: number, segments: readonly string[][]): number[] | undefined {
  const positions: number[] = [];
  if (!matchSegment(tokens, start, segments[0]!, positions)) return undefined;
  for (let s = 1; s < segments.length; s++) {
    const from = positions[positions.length - 1]! + 1;
    let matched = false;
    for (let at = from; at <= from + MAX_GAP && at < tokens.length && !matched; at++) {
      if (tokens[at] === segments[s]![0]) matched = matchSegment(tokens, at, segments[s]!, positions);
    }
    if (!matched) return undefined;
  }
  return positions;
}

/** Matches one word sequence at `start` (fillers allowed between words), appending the word positions. */
function matchSegment(
  tokens: readonly string[],
  start: number,
  words: readonly string[],
  positions: number[],
): boolean {
  const mark = positions.length;
  let at = start;
  for (let j = 0; j < words.length; j++) {
    let skipped = 0;
    while (j > 0 && tokens[at] !== words[j] && skipped < MAX_FILLERS && FILLERS.has(tokens[at] ?? '')) {
      at++;
      skipped++;
    }
    if (tokens[at] !== words[j]) {
      positions.length = mark;
      return false;
    }
    positions.push(at);
    at++;
  }
  return true;
}

/** Two phrases that matched the very same words ("ktp belum jadi", "ktp ... belum jadi"): the heavier, else the first, stays. */
function isDuplicate(f: Found, i: number, other: Found, j: number): boolean {
  if (i === j || f.positions.length !== other.positions.length) return false;
  if (!f.positions.every((p, k) => other.positions[k] === p)) return false;
  return other.rule.weight > f.rule.weight || (other.rule.weight === f.rule.weight && j < i);
}

/** True when every word position of `inner` is also one of the (more numerous) positions of `outer`. */
function isPartOf(inner: readonly number[], outer: readonly number[]): boolean {
  return outer.length > inner.length && inner.every((p) => outer.includes(p));
}
