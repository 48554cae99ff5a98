/**
 * Shortening text for messages and problem records: the one home of the rule, so a cell cut in a
 * CSV problem, a mapping problem and a plan-row problem reads the same way.
 */

/** How many characters of an offending value a problem keeps (`InputProblem.value`). */
export const PROBLEM_VALUE_CHARS = 200;

/**
 * `value` when it has at most `max` characters, else its first `max - 1` characters and `…`.
 * Characters are code points, so an emoji or another astral character is never cut in half.
 */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}
