/**
 * Characters that make text mean something other than what a person reading it sees:
 *
 * - **invisible** characters: zero-width spaces and joiners, the byte-order mark inside text, the
 *   soft hyphen, and the bidirectional controls that reorder what is displayed (the "Trojan
 *   Source" characters);
 * - **unusual spaces**: the no-break space and other space characters that look like a space but
 *   are not one, so `ada@example.com` and `ada@example.com\u00A0` are different user names;
 * - **control characters**: C0 controls (other than tab, line feed and carriage return), DEL and
 *   the C1 controls — terminal escape sequences start with one.
 *
 * Pure string functions shared by the CSV reader (headers), the planner (key and email values)
 * and the CLI (what it prints).
 */

/** Zero-width and other invisible format characters, and the bidirectional controls. */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/** Characters that look like a space and are not U+0020. */
const UNUSUAL_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/u;
const UNUSUAL_SPACE_ALL = new RegExp(UNUSUAL_SPACE.source, 'gu');
/** Both of the above. */
const HIDDEN = new RegExp(`${INVISIBLE.source}|${UNUSUAL_SPACE.source}`, 'u');
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');
/** C0 controls except TAB, LF and CR; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
/** Any control character, TAB, LF and CR included. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\x00-\x1F\x7F-\x9F]/;
/** A control character (other than TAB, LF, CR) or U+FFFD, the mark of undecodable bytes. */
const CONTROL_OR_REPLACEMENT = new RegExp(`${CONTROL.source.slice(0, -1)}\\uFFFD]`);

/** True when `text` holds a control character (other than TAB, LF, CR) or U+FFFD. */
export function hasControlOrReplacement(text: string): boolean {
  return CONTROL_OR_REPLACEMENT.test(text);
}

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL',
  0x07: 'bell',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x00a0: 'no-break space',
  0x00ad: 'soft hyphen',
  0x061c: 'Arabic letter mark',
  0x1680: 'Ogham space mark',
  0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x202f: 'narrow no-break space',
  0x205f: 'medium mathematical space',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x3000: 'ideographic space',
  0xfeff: 'byte-order mark',
};

/** `U+200B`. */
function codePoint(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `zero-width space U+200B`, `escape U+001B`, `control U+0085`, `space U+2003`. */
export function charName(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const name =
    NAMES[code] ??
    (code < 0x20 || (code >= 0x7f && code <= 0x9f)
      ? 'control'
      : UNUSUAL_SPACE.test(c)
        ? 'space'
        : 'invisible character');
  return `${name} ${codePoint(c)}`;
}

/** The distinct characters of `text` that `pattern` (global) matches, in order of appearance. */
function distinct(text: string, pattern: RegExp): string[] {
  return [...new Set(text.match(pattern) ?? [])];
}

/** The invisible characters and unusual spaces in `text`, each once. */
export function hiddenCharacters(text: string): string[] {
  return distinct(text, HIDDEN_ALL);
}

/**
 * `text` without invisible characters, with unusual spaces turned into plain spaces, trimmed:
 * what a person reading it sees. Used for header names.
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE_ALL, '').replace(UNUSUAL_SPACE_ALL, ' ').trim();
}

/**
 * Splits `text` into its hidden edges and its core: leading and trailing invisible characters,
 * unusual and plain spaces are the edges. `inner` lists the hidden characters left in the core.
 */
export function hiddenEdges(text: string): { core: string; edges: string[]; inner: string[] } {
  let start = 0;
  let end = text.length;
  const isEdge = (c: string): boolean => c === ' ' || c === '\t' || HIDDEN.test(c);
  while (start < end && isEdge(text[start] ?? '')) start++;
  while (end > start && isEdge(text[end - 1] ?? '')) end--;
  const core = text.slice(start, end);
  const edges = distinct(text.slice(0, start) + text.slice(end), HIDDEN_ALL);
  return { core, edges, inner: distinct(core, HIDDEN_ALL) };
}

/** Index of the first control character (other than TAB, LF, CR) in `text`, or −1. */
export function controlCharacterAt(text: string): number {
  const m = CONTROL.exec(text);
  return m ? m.index : -1;
}

/** The first control character (TAB, LF and CR included) in `text`, if any. */
export function firstAnyControl(text: string): string | undefined {
  return ANY_CONTROL.exec(text)?.[0];
}

/**
 * `text` with its control characters made visible and harmless: C0 controls as their Unicode
 * control pictures (`␛`, `␇`), DEL as `␡`, C1 controls as `[U+009B]`. For the `value` of a problem,
 * which is shown on screen and in terminals.
 */
export function showControls(text: string): string {
  return text.replace(CONTROL_ALL, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `[${codePoint(c)}]`;
  });
}

/**
 * `text` with its invisible characters, unusual spaces and control characters shown by code
 * point (`b[U+200B]ob`), so a person can see what the value really holds.
 */
export function showHidden(text: string): string {
  return showControls(text).replace(HIDDEN_ALL, (c) => `[${codePoint(c)}]`);
}
