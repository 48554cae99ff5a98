import type { MappingSpec } from './spec';
import { DEFAULT_FALSE_WORDS, DEFAULT_TRUE_WORDS, normalizeWord } from './words';

/**
 * The spec with `word` added to the status words of its "active" mapping (as active or
 * inactive), keeping the default words when the spec listed none; removed from the other list.
 * Unchanged when the spec has no "active" mapping.
 */
export function withStatusWord(spec: MappingSpec, word: string, active: boolean): MappingSpec {
  if (!spec.active) return spec;
  const key = normalizeWord(word);
  const other = (list: readonly string[]) => list.filter((w) => normalizeWord(w) !== key);
  const trueWords = spec.active.trueWords ?? DEFAULT_TRUE_WORDS;
  const falseWords = spec.active.falseWords ?? DEFAULT_FALSE_WORDS;
  const add = (list: readonly string[]) =>
    list.some((w) => normalizeWord(w) === key) ? [...list] : [...list, word];
  return {
    ...spec,
    active: {
      ...spec.active,
      trueWords: active ? add(trueWords) : other(trueWords),
      falseWords: active ? other(falseWords) : add(falseWords),
    },
  };
}
