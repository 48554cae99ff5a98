/**
 * What the CLI prints is made harmless for a terminal: values from a CSV or a server can hold
 * escape sequences (ESC [ 2 J clears the screen, OSC 8 forges links, a lone CR overwrites the line
 * just printed) and bidirectional overrides that reorder what is shown. Each such character is
 * printed as its JSON escape (`\u001b`), which is visible on screen and, inside the JSON that
 * `--json` prints, the same string.
 */

/**
 * C0 controls except TAB and LF; DEL; C1 controls; bidi marks (ALM, LRM, RLM), embeddings,
 * overrides and isolates; the Unicode line and paragraph separators some terminals break on.
 */
const UNSAFE_CLASS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, 'g');
/** As above, plus TAB and LF: inside one value they would forge a column or a line. */
const UNSAFE_IN_VALUE = new RegExp(`[${UNSAFE_CLASS}\\t\\n]`, 'g');

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `line` with every control character and bidi override shown as `\uXXXX`. */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, escape);
}

/**
 * One value from a server or a saved profile (a connection name, a product name, a warning) put
 * into a CLI line: as {@link terminalSafe}, and a line feed or tab inside it is shown as `\u000a`
 * too, so a value can never forge a line of its own ("Saved connection …", "0 failed").
 */
export function terminalValue(value: string): string {
  return value.replace(UNSAFE_IN_VALUE, escape);
}
