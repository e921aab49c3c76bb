import { FEATURE_GROUPS, WORD, type FeatureList } from './features';
import { IntIdTable } from './int-id-table';

/** A text as model input: known feature ids with their values, and where each came from in the FeatureList. */
export interface EncodedText {
  ids: Int32Array;
  values: Float64Array;
  positions: Int32Array;
  /** Share of the text's (non-stopword) words that occur in the training texts; 0 when it has none. */
  knownWordShare: number;
}

/**
 * Maps feature hashes to dense ids (the training vocabulary) and values each known feature once, as
 * groupWeight / sqrt(number of features in its group). Unknown features still count in that norm, so
 * text unlike the training texts gets small values and scores flat (low confidence).
 */
export class FeatureEncoder {
  private readonly table: IntIdTable;
  private readonly stamps: Int32Array;
  private stamp = 0;

  private constructor(
    vocabulary: ReadonlyMap<number, number>,
    private readonly groupWeights: readonly number[],
  ) {
    this.table = new IntIdTable(vocabulary);
    this.stamps = new Int32Array(vocabulary.size);
    this.size = vocabulary.size;
  }

  readonly size: number;

  /** Vocabulary of the features found in at least `minDocFrequency` training texts. */
  static fromTraining(
    lists: readonly FeatureList[],
    minDocFrequency: number,
    groupWeights: readonly number[],
  ): FeatureEncoder {
    const frequency = new Map<number, number>();
    for (const list of lists) for (const key of new Set(list.keys)) frequency.set(key, (frequency.get(key) ?? 0) + 1);
    const vocabulary = new Map<number, number>();
    for (const [key, count] of frequency) if (count >= minDocFrequency) vocabulary.set(key, vocabulary.size);
    return new FeatureEncoder(vocabulary, groupWeights);
  }

  encode(list: FeatureList): EncodedText {
    const counts = new Array<number>(FEATURE_GROUPS).fill(0);
    for (const group of list.groups) counts[group]!++;
    const norms = counts.map((count, group) => (count === 0 ? 0 : (this.groupWeights[group] ?? 1) / Math.sqrt(count)));
    const ids = new Int32Array(list.keys.length);
    const values = new Float64Array(list.keys.length);
    const positions = new Int32Array(list.keys.length);
    // Stamps mark ids already seen in this text without clearing an array per call.
    if (this.stamp >= 0x3fffffff) {
      this.stamps.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    let size = 0;
    let knownWords = 0;
    for (let p = 0; p < list.keys.length; p++) {
      const id = this.table.get(list.keys[p]!);
      if (id >= 0 && list.groups[p] === WORD) knownWords++;
      if (id < 0 || this.stamps[id] === stamp) continue;
      this.stamps[id] = stamp;
      ids[size] = id;
      values[size] = norms[list.groups[p]!]!;
      positions[size] = p;
      size++;
    }
    return {
      ids: ids.subarray(0, size),
      values: values.subarray(0, size),
      positions: positions.subarray(0, size),
      knownWordShare: counts[WORD] === 0 ? 0 : knownWords / counts[WORD]!,
    };
  }
}
