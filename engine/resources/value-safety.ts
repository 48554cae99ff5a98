/**
 * Value checks that keep a row from reaching the server in a form the file did not mean, run on
 * each mapped row before it is matched (so a trimmed key matches what it names):
 *
 * - `control_character` (error): a control character in any value (C0 other than tab, line feed
 *   and carriage return, DEL, C1 — a terminal escape sequence starts with one), and any control
 *   character, line breaks included, in a key or email value;
 * - `invisible_trimmed` (warning): invisible characters or unusual spaces (zero-width space,
 *   no-break space, byte-order mark, bidi controls) at the edges of a key, email or group name —
 *   removed, the row goes on;
 * - `invisible_in_key` (error): such a character inside a key, email or group name — removing it
 *   would change which account or group the row names, so the row is held back;
 * - `email_too_long` (error): an address longer than RFC 5321 allows (local part 64 octets, the
 *   whole address 254 — RFC 5321 §4.5.3.1.1 and §4.5.3.1.3 with RFC 3696 errata 1690), in an
 *   `emails` value or a userName written as an address.
 *
 * Keys are the match-key targets, userName, externalId and the manager's key. Messages name file,
 * row and column.
 */
import type { ColumnSpec } from '../../shared/columns/columns';
import type { CsvRow, DesiredCell, InputProblem, MappedRow } from '../../shared/import/types';
import { sameAttrName } from '../../shared/scim/attribute-path';
import {
  charName,
  controlCharacterAt,
  firstAnyControl,
  hiddenEdges,
  showHidden,
} from '../csv/text-safety';
import type { ValueProblemCode } from '../../shared/problems/codes';

/** What the checks need to know about the mapping. */
export type ValueSafetyOptions = {
  /** The CSV file (its name is used in messages). */
  file: string;
  targets: readonly ColumnSpec[];
  /** Match keys, each an AND of target headers. */
  matchKeys: readonly (readonly string[])[];
  /** For each target, the CSV columns it is made from. */
  sources: readonly (readonly string[])[];
  /** The `manager.value` target, if the mapping sets the manager. */
  managerTarget?: number;
  /** The CSV's headers, to look at the cells a key was read from (before the mapping trimmed them). */
  headers?: readonly string[];
};

/** The checks of one mapping: problems for a mapped row, whose key values it trims in place. */
export type ValueSafety = {
  /** `raw`, the CSV row it was mapped from, tells edges the mapping's trim already removed. */
  check(mapped: MappedRow, raw?: CsvRow): InputProblem[];
  /** Target indexes whose values are keys (match keys, userName, externalId, the manager). */
  readonly keyTargets: ReadonlySet<number>;
};

/** RFC 5321 §4.5.3.1.1: local part at most 64 octets. */
export const MAX_EMAIL_LOCAL_OCTETS = 64;
/** RFC 5321 §4.5.3.1.3 (path 256 less the angle brackets): at most 254 octets. */
export const MAX_EMAIL_OCTETS = 254;

const encoder = new TextEncoder();
/** Printable ASCII only: nothing hidden, no control characters, one octet per character. */
const PLAIN = /^[\x20-\x7e]*$/;

function octets(text: string): number {
  return PLAIN.test(text) ? text.length : encoder.encode(text).length;
}

function isEmailTarget(t: ColumnSpec): boolean {
  const p = t.path;
  if (p.kind === 'groups' || p.kind === 'members' || p.uri !== undefined) return false;
  if (!sameAttrName(p.attr, 'emails')) return false;
  return p.subAttr === undefined || sameAttrName(p.subAttr, 'value');
}

function isNamed(t: ColumnSpec, name: string): boolean {
  const p = t.path;
  return (
    p.kind === 'single' &&
    p.uri === undefined &&
    p.subAttr === undefined &&
    sameAttrName(p.attr, name)
  );
}

/** The value for a problem: hidden characters shown by code point, at most 200 characters. */
function shown(text: string): string {
  const visible = showHidden(text);
  return visible.length > 200 ? `${visible.slice(0, 199)}…` : visible;
}

function listOf(chars: readonly string[]): string {
  return chars.length === 1
    ? `an invisible character (${charName(chars[0] ?? '')})`
    : `invisible characters (${chars.map(charName).join(', ')})`;
}

/** Builds the checks for one compiled mapping. */
export function createValueSafety(opts: ValueSafetyOptions): ValueSafety {
  const { targets, file } = opts;
  const fileName = file.split(/[\\/]/).pop() ?? file;
  const keyHeaders = new Set(opts.matchKeys.flat().map((h) => h.toLowerCase()));
  const keyTargets = new Set<number>();
  const emailTargets = new Set<number>();
  const userNameTargets = new Set<number>();
  targets.forEach((t, i) => {
    if (isNamed(t, 'userName')) userNameTargets.add(i);
    if (
      keyHeaders.has(t.header.toLowerCase()) ||
      isNamed(t, 'userName') ||
      isNamed(t, 'externalId')
    ) {
      keyTargets.add(i);
    }
    if (i === opts.managerTarget) keyTargets.add(i);
    if (isEmailTarget(t)) emailTargets.add(i);
  });

  function where(mapped: MappedRow, i: number): string {
    const columns = opts.sources[i] ?? [];
    const header = targets[i]?.header ?? '';
    const from =
      columns.length === 0
        ? ''
        : columns.length === 1
          ? ` in column "${columns[0] ?? ''}"`
          : ` in columns ${columns.map((c) => `"${c}"`).join(', ')}`;
    return `Row ${mapped.row} (line ${mapped.line}) of ${fileName}: the value of ${header}${from}`;
  }

  function problem(
    mapped: MappedRow,
    i: number,
    code: ValueProblemCode,
    severity: 'error' | 'warning',
    message: string,
    nextStep: string,
    value: string,
  ): InputProblem {
    const column = (opts.sources[i] ?? [])[0];
    return {
      file,
      line: mapped.line,
      row: mapped.row,
      ...(column !== undefined ? { column } : {}),
      value: shown(value),
      code,
      severity,
      message,
      nextStep,
    };
  }

  const columnAt = new Map((opts.headers ?? []).map((h, i) => [h, i] as const));

  /** Hidden characters at the edges of the one CSV cell target `i` is read from. */
  function rawEdges(raw: CsvRow | undefined, i: number): string[] {
    const columns = opts.sources[i] ?? [];
    const at = columns.length === 1 ? columnAt.get(columns[0] ?? '') : undefined;
    const cell = raw && at !== undefined ? raw.cells[at] : undefined;
    return cell === undefined || PLAIN.test(cell) ? [] : hiddenEdges(cell).edges;
  }

  /** Checks (and trims) one cell; returns its problems. */
  function checkCell(mapped: MappedRow, i: number, value: string, raw?: CsvRow): InputProblem[] {
    const key = keyTargets.has(i);
    const email = emailTargets.has(i) || (userNameTargets.has(i) && value.includes('@'));
    if (PLAIN.test(value)) {
      if ((key || email) && rawEdges(raw, i).length > 0) {
        return checkHidden(mapped, i, value, raw, email);
      }
      return email ? emailLength(mapped, i, value) : NONE;
    }
    const out: InputProblem[] = [];
    const control = key || email ? firstAnyControl(value) : value[controlCharacterAt(value)];
    if (control !== undefined) {
      out.push(
        problem(
          mapped,
          i,
          'control_character',
          'error',
          `${where(mapped, i)} has a control character (${charName(control)}); the row is held back.`,
          'Remove the control character from the cell (most editors do not show it), then plan again.',
          value,
        ),
      );
      return out;
    }
    if (!key && !email) return out;
    return checkHidden(mapped, i, value, raw, email);
  }

  /** Invisible characters in a key or email value: trimmed at the edges, refused inside. */
  function checkHidden(
    mapped: MappedRow,
    i: number,
    value: string,
    raw: CsvRow | undefined,
    email: boolean,
  ): InputProblem[] {
    const out: InputProblem[] = [];
    const { core, edges: own, inner } = hiddenEdges(value);
    const edges = own.length > 0 ? own : rawEdges(raw, i);
    if (inner.length > 0) {
      out.push(
        problem(
          mapped,
          i,
          'invisible_in_key',
          'error',
          `${where(mapped, i)} has ${listOf(inner)} inside it; the row is held back, because removing it would change which account the row names.`,
          'Type the value again without the invisible character (it often comes with text copied from a web page or a chat), then plan again.',
          value,
        ),
      );
      return out;
    }
    if (edges.length > 0) {
      mapped.cells[i] = core;
      if (i === opts.managerTarget && mapped.manager)
        mapped.manager = { ...mapped.manager, value: core };
      out.push(
        problem(
          mapped,
          i,
          'invisible_trimmed',
          'warning',
          `${where(mapped, i)} had ${listOf(edges)} at its edge; it is read as "${core}".`,
          'Nothing to do; to clean the file, type the value again.',
          value,
        ),
      );
    }
    if (email) out.push(...emailLength(mapped, i, core));
    return out;
  }

  function emailLength(mapped: MappedRow, i: number, value: string): InputProblem[] {
    if (value.length <= MAX_EMAIL_LOCAL_OCTETS && PLAIN.test(value)) return NONE;
    const addresses = targets[i]?.path.kind === 'joined' ? value.split(/(?<!\\);/) : [value];
    for (const address of addresses) {
      const at = address.lastIndexOf('@');
      const local = at < 0 ? '' : address.slice(0, at);
      const whole = octets(address);
      const localOctets = octets(local);
      if (localOctets <= MAX_EMAIL_LOCAL_OCTETS && whole <= MAX_EMAIL_OCTETS) continue;
      const why =
        localOctets > MAX_EMAIL_LOCAL_OCTETS
          ? `its part before the @ is ${localOctets} characters long; an email address allows ${MAX_EMAIL_LOCAL_OCTETS}`
          : `it is ${whole} characters long; an email address allows ${MAX_EMAIL_OCTETS}`;
      return [
        problem(
          mapped,
          i,
          'email_too_long',
          'error',
          `${where(mapped, i)} is not a usable email address: ${why} (RFC 5321).`,
          'Correct the address in the file (it may be two cells run together), then plan again.',
          address,
        ),
      ];
    }
    return [];
  }

  function checkGroups(mapped: MappedRow): InputProblem[] {
    const groups = mapped.groups;
    if (!groups || groups.every((g) => PLAIN.test(g))) return NONE;
    const out: InputProblem[] = [];
    mapped.groups = groups.map((name) => {
      const { core, edges, inner } = hiddenEdges(name);
      const at = `Row ${mapped.row} (line ${mapped.line}) of ${fileName}: the group "${shown(name)}"`;
      const base = { file, line: mapped.line, row: mapped.row, value: shown(name) };
      if (inner.length > 0 || firstAnyControl(name) !== undefined) {
        out.push({
          ...base,
          code: 'invisible_in_key',
          severity: 'error',
          message: `${at} has ${inner.length > 0 ? listOf(inner) : 'a control character'} inside its name; the row is held back, because removing it would change which group the row names.`,
          nextStep: 'Type the group name again without it, then plan again.',
        });
      } else if (edges.length > 0 && core !== name) {
        out.push({
          ...base,
          code: 'invisible_trimmed',
          severity: 'warning',
          message: `${at} had ${listOf(edges)} at its edge; it is read as "${core}".`,
          nextStep: 'Nothing to do; to clean the file, type the name again.',
        });
        return core;
      }
      return name;
    });
    return out;
  }

  return {
    keyTargets,
    check(mapped, raw) {
      let out: InputProblem[] | undefined;
      mapped.cells.forEach((cell: DesiredCell, i) => {
        if (typeof cell !== 'string' || cell === '') return;
        const found = checkCell(mapped, i, cell, raw);
        if (found.length > 0) (out ??= []).push(...found);
      });
      const groups = checkGroups(mapped);
      if (groups.length > 0) (out ??= []).push(...groups);
      return out ?? [];
    },
  };
}

const NONE: InputProblem[] = [];
