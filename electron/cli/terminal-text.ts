/**
 * What the CLI prints is made harmless for a terminal: values from a CSV or a server can hold
 * escape sequences (ESC [ 2 J clears the screen, OSC 8 forges links, a lone CR overwrites the line
 * just printed) and bidirectional overrides that reorder what is shown. Each such character is
 * printed as its JSON escape (`\u001b`), which is visible on screen and, inside the JSON that
 * `--json` prints, the same string.
 */

/** C0 controls except TAB and LF; DEL; C1 controls; bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/g;

/** `line` with every control character and bidi override shown as `\uXXXX`. */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
