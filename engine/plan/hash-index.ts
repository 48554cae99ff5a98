/**
 * A string → ordinals index that holds no strings: keys are kept as 53-bit hashes in typed arrays
 * (~24 bytes per entry instead of ~80 for a `Map<string, number>`), so matching a million-row CSV
 * against a million-user snapshot fits in memory. A hash can collide, so callers verify each
 * candidate's real key (snapshot-index.ts does) — a collision costs a read, never a wrong match.
 */
type HashIndex = {
  add(key: string, ordinal: number): void;
  /** Ordinals whose key hashes like `key` (verify them). */
  get(key: string): readonly number[];
  /** `add` for a key already hashed by {@link hash53} (never 0): no string is built or hashed. */
  addHash(hash: number, ordinal: number): void;
  /** `get` for a key already hashed by {@link hash53}. */
  getHash(hash: number): readonly number[];
  readonly size: number;
};

/** cyrb53: a fast 53-bit string hash (public domain, bryc). 0 is mapped to 1 (0 marks empty). */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const h = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return h === 0 ? 1 : h;
}

export function createHashIndex(initialCapacity = 1024): HashIndex {
  let capacity = 1;
  while (capacity < initialCapacity * 2) capacity <<= 1;
  let hashes = new Float64Array(capacity);
  let values = new Int32Array(capacity);
  const multi: number[][] = [];
  let size = 0;

  const slotOf = (h: number, hs: Float64Array): number => {
    const mask = hs.length - 1;
    let i = ((h % 4294967296) >>> 0) & mask;
    for (;;) {
      const v = hs[i] ?? 0;
      if (v === 0 || v === h) return i;
      i = (i + 1) & mask;
    }
  };

  const grow = (): void => {
    const oldH = hashes;
    const oldV = values;
    hashes = new Float64Array(oldH.length * 2);
    values = new Int32Array(oldV.length * 2);
    for (let i = 0; i < oldH.length; i++) {
      const h = oldH[i] ?? 0;
      if (h === 0) continue;
      const j = slotOf(h, hashes);
      hashes[j] = h;
      values[j] = oldV[i] ?? 0;
    }
  };

  const addHash = (h: number, ordinal: number): void => {
    const i = slotOf(h, hashes);
    if (hashes[i] === 0) {
      hashes[i] = h;
      values[i] = ordinal;
      size += 1;
      if (size * 2 > hashes.length) grow();
      return;
    }
    const v = values[i] ?? 0;
    if (v >= 0) {
      multi.push([v, ordinal]);
      values[i] = -multi.length;
    } else multi[-v - 1]?.push(ordinal);
  };
  const getHash = (h: number): readonly number[] => {
    const i = slotOf(h, hashes);
    if (hashes[i] === 0) return [];
    const v = values[i] ?? 0;
    return v >= 0 ? [v] : (multi[-v - 1] ?? []);
  };

  return {
    add: (key, ordinal) => {
      addHash(hash53(key), ordinal);
    },
    get: (key) => getHash(hash53(key)),
    addHash,
    getHash,
    get size() {
      return size;
    },
  };
}
