/**
 * Cell text by attribute type: converting a cell to the JSON value sent to the server, and deciding
 * whether two cells hold the same value. Comparison is by meaning where the type has one — booleans
 * case-insensitively (`True` = `true`), numbers numerically (`1.0` = `1`), dateTimes by instant
 * (`…00Z` = `…00.000Z`) — and exact for everything else: a string whose letter case changed is a
 * change the admin wants to push, even for an attribute the server compares case-insensitively.
 */
import type { SchemaAttribute } from '../../shared/scim/types';

/** The value type of one cell (of one item for a joined cell). */
export type ValueType = SchemaAttribute['type'];

/** `true` / `false` in any letter case; undefined for anything else. */
export function parseBooleanCell(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** The JSON number form `String(n)` writes (the same test `unflattenRow` applies). */
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A finite JSON-style number; undefined for anything else (`+1`, `1,5`, ` 1`, `1e999`). */
export function parseNumberCell(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A whole number within JavaScript's exact integer range, else undefined. */
export function parseIntegerCell(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An xsd:dateTime (RFC 7643 §2.3.5), e.g. `2024-01-31T09:00:00Z`, `…00.5+02:00`, as a comparable
 * key: the instant to the second plus the fraction digits (trailing zeros dropped). A value without
 * a zone is read as UTC, so it compares equal to the same text with `Z`. Undefined when the text is
 * not a valid date and time (including impossible dates such as 2023-02-29).
 */
export function dateTimeKey(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  const valid =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  if (!valid) return undefined;
  const offset = zoneOffsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  return `${date.getTime() - offset * 60_000}.${fraction}`;
}

/** Minutes east of UTC for `Z`, `+hh:mm`, `-hh:mm` or no zone; undefined when out of range. */
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * The JSON value of a cell: booleans and numbers for boolean, integer and decimal attributes when
 * the text parses (as `unflattenRow` converts them); the text itself otherwise. DateTimes are sent
 * as the text given.
 */
export function typedValue(text: string, type: ValueType): unknown {
  if (type === 'boolean') return parseBooleanCell(text) ?? text;
  if (type === 'integer' || type === 'decimal') return parseNumberCell(text) ?? text;
  return text;
}

/**
 * A key that is equal for two cell texts exactly when they hold the same value of `type` (see the
 * file comment). Text that does not parse as the type compares exactly.
 */
export function valueKey(text: string, type: ValueType): string {
  if (type === 'boolean') {
    const b = parseBooleanCell(text);
    if (b !== undefined) return `b:${b}`;
  } else if (type === 'integer' || type === 'decimal') {
    const n = parseNumberCell(text);
    if (n !== undefined) return `n:${String(n)}`;
  } else if (type === 'dateTime') {
    const key = dateTimeKey(text);
    if (key !== undefined) return `d:${key}`;
  }
  return `s:${text}`;
}

/** True when two cell texts hold the same value of `type`. */
export function sameValue(a: string, b: string, type: ValueType): boolean {
  return a === b || valueKey(a, type) === valueKey(b, type);
}
