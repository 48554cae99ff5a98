/**
 * A set of resource ids that costs 8–16 bytes per id instead of a `Set<string>`'s ~90 (a UUID
 * string plus its hash-table entry), so de-duplicating a 1M-user export holds ~16 MB, not ~90 MB.
 *
 * Ids are kept as 64-bit fingerprints (two independent 32-bit hashes) in an open-addressing table.
 * Two different ids share a fingerprint with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million ids); such a
 * collision would make one id look already delivered, which the export's count check then reports
 * as possibly missing rather than losing silently.
 */
export type IdSet = {
  has(id: string): boolean;
  add(id: string): void;
  readonly size: number;
};

/** FNV-1a and a Murmur3-style mix over UTF-16 code units: two independent 32-bit hashes. */
function fingerprint(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  b ^= b >>> 16;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  a >>>= 0;
  b >>>= 0;
  // (0, 0) marks an empty slot.
  return a === 0 && b === 0 ? [0, 1] : [a, b];
}

export function createIdSet(initialCapacity = 1024): IdSet {
  let capacity = 1;
  while (capacity < initialCapacity * 2) capacity <<= 1;
  let hi = new Uint32Array(capacity);
  let lo = new Uint32Array(capacity);
  let size = 0;

  /** The slot holding (h, l), or the empty slot where it would go. */
  const slotOf = (h: number, l: number, his: Uint32Array, los: Uint32Array): number => {
    const mask = his.length - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    for (;;) {
      const sh = his[i] ?? 0;
      const sl = los[i] ?? 0;
      if ((sh === 0 && sl === 0) || (sh === h && sl === l)) return i;
      i = (i + 1) & mask;
    }
  };

  const grow = (): void => {
    const oldHi = hi;
    const oldLo = lo;
    hi = new Uint32Array(oldHi.length * 2);
    lo = new Uint32Array(oldLo.length * 2);
    for (let i = 0; i < oldHi.length; i++) {
      const h = oldHi[i] ?? 0;
      const l = oldLo[i] ?? 0;
      if (h === 0 && l === 0) continue;
      const j = slotOf(h, l, hi, lo);
      hi[j] = h;
      lo[j] = l;
    }
  };

  return {
    has(id) {
      const [h, l] = fingerprint(id);
      const i = slotOf(h, l, hi, lo);
      return hi[i] === h && lo[i] === l;
    },
    add(id) {
      const [h, l] = fingerprint(id);
      const i = slotOf(h, l, hi, lo);
      if (hi[i] === h && lo[i] === l) return;
      hi[i] = h;
      lo[i] = l;
      size += 1;
      if (size * 2 > hi.length) grow();
    },
    get size() {
      return size;
    },
  };
}
