// Hot loops use local aliases: inside a vm context (Jest) every `Math.x` lookup goes through the global proxy.
const { imul } = Math;

/**
 * Feature hash → feature id, as an open-addressing table over typed arrays. Looking up a few hundred
 * features per complaint is the classifier's hot path; this is several times faster than a Map.
 */
export class IntIdTable {
  private readonly keys: Int32Array;
  private readonly ids: Int32Array;
  private readonly mask: number;

  constructor(entries: ReadonlyMap<number, number>) {
    let capacity = 16;
    while (capacity < entries.size * 2) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (const [key, id] of entries) {
      if (key < 0) throw new Error('keys must be non-negative');
      let slot = this.slotOf(key);
      while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.ids[slot] = id;
    }
  }

  /** The id of `key`, or -1. */
  get(key: number): number {
    let slot = this.slotOf(key);
    for (;;) {
      const found = this.keys[slot]!;
      if (found === key) return this.ids[slot]!;
      if (found === -1) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  private slotOf(key: number): number {
    return (imul(key, 0x9e3779b1) >>> 0) & this.mask;
  }
}
