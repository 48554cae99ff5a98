/**
 * Compiles the transforms of a mapping spec into plain string functions, once per mapping: regular
 * expressions, lookup tables, date formats and word lists are built here, not per row.
 */
import { assertNever } from '../../shared/util/assert-never';
import { joinMultiValue } from '../../shared/columns/columns';
import {
  compileDateFormat,
  formatIsoDate,
  formatIsoDateTime,
  type DateParser,
} from '../../shared/mapping/dates';
import { MAX_REGEX_INPUT, regexProblem } from '../../shared/mapping/regex';
import type { Transform } from '../../shared/mapping/spec';
import { collapseWhitespace, normalizeDiacritics, titleCase } from '../../shared/mapping/text';
import { shorten } from '../../shared/util/shorten';
import { compileWords } from '../../shared/mapping/words';
import type { MappingProblemCode } from '../../shared/problems/codes';

/** One compiled step. Throws {@link TransformFailure} when it cannot handle the value. */
export type StringFn = (value: string) => string;

/** A transform could not handle a cell; becomes a row problem (the run goes on). */
export class TransformFailure extends Error {
  /** Stable problem code, e.g. `transform_failed`, `unknown_status`. */
  readonly code: MappingProblemCode;
  /** What the admin can do about it. */
  readonly nextStep: string;
  constructor(message: string, nextStep: string, code: MappingProblemCode = 'transform_failed') {
    super(message);
    this.name = 'TransformFailure';
    this.code = code;
    this.nextStep = nextStep;
  }
}

const identity: StringFn = (v) => v;

/** Compiles a list of transforms into one function (the identity for none). */
export function compileTransforms(transforms: readonly Transform[] = []): StringFn {
  const fns = transforms.map(compileTransform);
  const n = fns.length;
  if (n === 0) return identity;
  if (n === 1) return fns[0] ?? identity;
  return (value) => {
    let v = value;
    for (let i = 0; i < n; i++) v = (fns[i] ?? identity)(v);
    return v;
  };
}

/** Compiles one transform. Throws an Error when its parameters are invalid (a bad regex). */
export function compileTransform(t: Transform): StringFn {
  switch (t.op) {
    case 'trim':
      return (v) => v.trim();
    case 'lower':
      return (v) => v.toLowerCase();
    case 'upper':
      return (v) => v.toUpperCase();
    case 'title':
      return titleCase;
    case 'normalizeDiacritics':
      return normalizeDiacritics;
    case 'collapseWhitespace':
      return collapseWhitespace;
    case 'split':
      return splitFn(t.delimiter, t.index);
    case 'join':
      return joinFn(t.delimiter);
    case 'regexReplace':
      return regexFn(t.pattern, t.flags ?? '', t.replacement);
    case 'replace': {
      const { find, replacement } = t;
      return (v) => v.replaceAll(find, replacement);
    }
    case 'default': {
      const { value } = t;
      return (v) => (v === '' ? value : v);
    }
    case 'constant': {
      const { value } = t;
      return () => value;
    }
    case 'lookup':
      return lookupFn(t.table, t.caseInsensitive ?? false, t.otherwise ?? 'keep');
    case 'date':
      return dateFn(t.from, t.to);
    case 'number':
      return numberFn(t.decimal);
    case 'boolean':
      return booleanFn(t.true, t.false);
    case 'prefix': {
      const { value } = t;
      return (v) => (v === '' ? v : value + v);
    }
    case 'suffix': {
      const { value } = t;
      return (v) => (v === '' ? v : v + value);
    }
    default:
      return assertNever(t, 'transform');
  }
}

/** Part `index` of the value cut at `delimiter` (negative from the end), or empty. */
function splitFn(delimiter: string, index: number): StringFn {
  return (v) => {
    if (v === '') return v;
    const parts = v.split(delimiter);
    return parts[index < 0 ? parts.length + index : index] ?? '';
  };
}

/** The value cut at `delimiter`, trimmed, blanks dropped, as a `;`-joined multi-valued cell. */
function joinFn(delimiter: string): StringFn {
  return (v) => {
    if (v === '') return v;
    return joinMultiValue(
      v
        .split(delimiter)
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    );
  };
}

/** Regular-expression replace, refusing cells over {@link MAX_REGEX_INPUT} characters. */
function regexFn(pattern: string, flags: string, replacement: string): StringFn {
  const problem = regexProblem(pattern, flags);
  if (problem) throw new Error(`regexReplace: ${problem}`);
  const re = new RegExp(pattern, flags);
  return (v) => {
    if (v.length > MAX_REGEX_INPUT) {
      throw new TransformFailure(
        `the value is ${v.length} characters long; regexReplace handles at most ${MAX_REGEX_INPUT}`,
        'Shorten the cell, or split it with a split transform before the regexReplace.',
      );
    }
    return v.replace(re, replacement);
  };
}

/** Table lookup; see the `lookup` transform in `spec.ts`. */
function lookupFn(
  table: Readonly<Record<string, string>>,
  caseInsensitive: boolean,
  otherwise: 'keep' | 'empty' | 'error',
): StringFn {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(table)) map.set(caseInsensitive ? k.toLowerCase() : k, v);
  const known = Object.keys(table);
  return (v) => {
    const hit = map.get(caseInsensitive ? v.toLowerCase() : v);
    if (hit !== undefined) return hit;
    if (v === '' || otherwise === 'keep') return v;
    if (otherwise === 'empty') return '';
    throw new TransformFailure(
      `"${shorten(v, 80)}" is not in the lookup table (${listed(known)})`,
      'Add the value to the lookup table, or correct the cell.',
    );
  };
}

/** Date conversion; see the `date` transform in `spec.ts`. */
function dateFn(from: readonly string[], to: 'iso-date' | 'iso-datetime'): StringFn {
  const parsers: DateParser[] = from.map(compileDateFormat);
  const format = to === 'iso-date' ? formatIsoDate : formatIsoDateTime;
  return (v) => {
    if (v === '') return v;
    for (const parse of parsers) {
      const d = parse(v);
      if (d) return format(d);
    }
    throw new TransformFailure(
      `"${shorten(v, 80)}" is not a date in the format ${from.join(' or ')}`,
      'Correct the date, or add its format to the date transform.',
    );
  };
}

const NUMBER_RE = /^[+-]?(\d+)(?:\.(\d+))?$/;
const GROUPING_RE = /[\s\u00a0\u202f'’]/g;

/** Number normalisation; see the `number` transform in `spec.ts`. */
function numberFn(decimal: '.' | ','): StringFn {
  const thousands = decimal === '.' ? ',' : '.';
  return (v) => {
    if (v === '') return v;
    let text = v.replace(GROUPING_RE, '').replaceAll(thousands, '');
    if (decimal === ',') text = text.replace(',', '.');
    const m = NUMBER_RE.exec(text);
    if (!m) {
      throw new TransformFailure(
        `"${shorten(v, 80)}" is not a number with "${decimal}" as the decimal mark`,
        'Correct the number, or change the decimal mark of the number transform.',
      );
    }
    const int = (m[1] ?? '0').replace(/^0+(?=\d)/, '');
    const frac = (m[2] ?? '').replace(/0+$/, '');
    const abs = frac === '' ? int : `${int}.${frac}`;
    return text.startsWith('-') && abs !== '0' ? `-${abs}` : abs;
  };
}

/** Yes/no words as `true`/`false`. */
function booleanFn(trueWords?: readonly string[], falseWords?: readonly string[]): StringFn {
  const words = compileWords(trueWords, falseWords);
  return (v) => {
    if (v === '') return v;
    const b = words.get(v);
    if (b === undefined) {
      throw new TransformFailure(
        `"${shorten(v, 80)}" is neither a yes word (${listed(words.trueWords)}) nor a no word (${listed(words.falseWords)})`,
        'Correct the cell, or add the word to the boolean transform.',
      );
    }
    return b ? 'true' : 'false';
  };
}

/** A short list for messages: the first few items, quoted. */
export function listed(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).map((i) => `"${i}"`);
  if (items.length > max) shown.push(`… ${items.length - max} more`);
  return shown.length === 0 ? 'none' : shown.join(', ');
}
