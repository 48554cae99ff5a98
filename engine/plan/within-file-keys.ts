/**
 * Duplicate match keys within one CSV: two rows that would match (or create) the same account. The
 * tracker runs over every row of files with a million rows, so it keeps no key text: each key value
 * is hashed to a 53-bit number (the map key) plus a 21-bit check stored with the row number in one
 * double. Rows are reported as duplicates only when both hashes agree, so two different values are
 * confused only if 74 bits collide (about 1 in 10^10 for a million rows); values that share the
 * 53-bit hash but not the check are kept apart in a small overflow map. Memory is one map entry per
 * distinct value and key, plus a list per repeated value.
 */

/** Records rows' key values and reports the earlier rows with the same value of a key. */
type KeyTracker = {
  /**
   * Records row `row`'s key values (by key path; a blank or missing part leaves that key out) and
   * returns the earlier rows that share the value of any key, ascending and without repeats.
   */
  track(row: number, values: ReadonlyMap<string, string>): number[];
};

/**
 * The form two key values are compared in, here and by the matcher: NFC-normalised, trimmed, runs of
 * white space (including non-breaking spaces) collapsed to one space, and lower-cased unless the
 * attribute is case-exact.
 */
export function normaliseForMatch(value: string, caseExact: boolean): string {
  // Fast path: printable ASCII without leading, trailing or doubled spaces needs no Unicode work.
  if (/^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(value))
    return caseExact ? value : value.toLowerCase();
  const text = value.normalize('NFC').trim().replace(/\s+/gu, ' ');
  return caseExact ? text : text.toLowerCase().normalize('NFC');
}

const TWO_32 = 4_294_967_296;
const CHECK_MASK = 0x1f_ffff;

/** One key's state: first rows by hash, and rows for repeated or colliding values. */
type KeyState = {
  paths: readonly string[];
  caseExact: readonly boolean[];
  /** 53-bit hash → check × 2^32 + row of the first row with that hash. */
  first: HashMap;
  /** `hash:check` → later rows with that value (or all rows when another value holds `first`). */
  more: Map<string, number[]>;
};

/**
 * A tracker for `keys`: each key is a list of attribute paths (one path, or several for a composite
 * key such as `name.givenName` + `name.familyName`). `caseExactOf(path)` tells whether a path's
 * values compare case-sensitively. Row numbers must be below 2^32.
 */
export function createKeyTracker(
  keys: readonly (readonly string[])[],
  caseExactOf: (path: string) => boolean,
): KeyTracker {
  const states: KeyState[] = keys
    .filter((paths) => paths.length > 0)
    .map((paths) => ({
      paths,
      caseExact: paths.map((p) => caseExactOf(p)),
      first: createHashMap(),
      more: new Map(),
    }));
  return {
    track(row, values) {
      let earlier: Set<number> | undefined;
      for (const state of states) {
        const text = keyText(state, values);
        if (text === undefined) continue;
        const rows = trackOne(state, text, row);
        if (rows.length === 0) continue;
        earlier ??= new Set<number>();
        for (const r of rows) earlier.add(r);
      }
      return earlier ? [...earlier].sort((a, b) => a - b) : [];
    },
  };
}

/** The normalised value of a key for a row, or undefined when a part is missing or blank. */
function keyText(state: KeyState, values: ReadonlyMap<string, string>): string | undefined {
  const parts: string[] = [];
  for (let i = 0; i < state.paths.length; i++) {
    const raw = values.get(state.paths[i] ?? '');
    const part = raw === undefined ? '' : normaliseForMatch(raw, state.caseExact[i] ?? false);
    if (part === '') return undefined;
    parts.push(part);
  }
  return parts.join('\u0000');
}

/** Records one key value; returns the earlier rows with the same value. */
function trackOne(state: KeyState, text: string, row: number): number[] {
  const hash = cyrb53(text, 0);
  const check = cyrb53(text, 0x9e3779b9) & CHECK_MASK;
  const entry = state.first.get(hash);
  if (entry === undefined) {
    state.first.set(hash, check * TWO_32 + row);
    return [];
  }
  const slot = `${hash}:${check}`;
  const extra = state.more.get(slot);
  const sameValue = Math.floor(entry / TWO_32) === check;
  const earlier = sameValue ? [entry % TWO_32, ...(extra ?? [])] : [...(extra ?? [])];
  if (extra) extra.push(row);
  else state.more.set(slot, [row]);
  return earlier;
}

/** 53-bit hash → number, the first-row table of a key. */
type HashMap = { get(hash: number): number | undefined; set(hash: number, value: number): void };

/**
 * A {@link HashMap} in two typed arrays (open addressing, at most half full): a `Map` with a
 * million 53-bit keys holds a million heap numbers the garbage collector walks at every pass.
 * A slot holds hash + 1, so 0 marks an empty slot (hash + 1 ≤ 2^53 stays exact).
 */
function createHashMap(): HashMap {
  let keys = new Float64Array(1024);
  let values = new Float64Array(1024);
  let size = 0;
  const slotOf = (stored: number, ks: Float64Array): number => {
    const mask = ks.length - 1;
    let i = ((stored % TWO_32) >>> 0) & mask;
    for (;;) {
      const k = ks[i] ?? 0;
      if (k === 0 || k === stored) return i;
      i = (i + 1) & mask;
    }
  };
  const grow = (): void => {
    const oldK = keys;
    const oldV = values;
    keys = new Float64Array(oldK.length * 2);
    values = new Float64Array(oldK.length * 2);
    for (let i = 0; i < oldK.length; i++) {
      const k = oldK[i] ?? 0;
      if (k === 0) continue;
      const j = slotOf(k, keys);
      keys[j] = k;
      values[j] = oldV[i] ?? 0;
    }
  };
  return {
    get(hash) {
      const i = slotOf(hash + 1, keys);
      return keys[i] === 0 ? undefined : values[i];
    },
    set(hash, value) {
      const i = slotOf(hash + 1, keys);
      if (keys[i] === 0) {
        keys[i] = hash + 1;
        size += 1;
      }
      values[i] = value;
      if (size * 2 > keys.length) grow();
    },
  };
}

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain, by bryc). */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return TWO_32 * (0x1f_ffff & h2) + (h1 >>> 0);
}
