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
type ValueSafetyOptions = {
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
type ValueSafety = {
  /** `raw`, the CSV row it was mapped from, tells edges the mapping's trim already removed. */
  check(mapped: MappedRow, raw?: CsvRow): InputProblem[];
  /** Target indexes whose values are keys (match keys, userName, externalId, the manager). */
  readonly keyTargets: ReadonlySet<number>;
};

/** RFC 5321 §4.5.3.1.1: local part at most 64 octets. */
const MAX_EMAIL_LOCAL_OCTETS = 64;
/** RFC 5321 §4.5.3.1.3 (path 256 less the angle brackets): at most 254 octets. */
const MAX_EMAIL_OCTETS = 254;

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

/** What the checks of one mapping know, shared by every row. */
type SafetyContext = {
  readonly file: string;
  /** The file's name without its folder, for messages. */
  readonly fileName: string;
  readonly targets: readonly ColumnSpec[];
  readonly sources: readonly (readonly string[])[];
  readonly managerTarget: number | undefined;
  readonly keyTargets: ReadonlySet<number>;
  readonly emailTargets: ReadonlySet<number>;
  readonly userNameTargets: ReadonlySet<number>;
  /** CSV header → its column index. */
  readonly columnAt: ReadonlyMap<string, number>;
};

/** Which targets are keys, emails and userNames. */
export function classifyTargets(
  targets: readonly ColumnSpec[],
  matchKeys: readonly (readonly string[])[],
  managerTarget: number | undefined,
): { keyTargets: Set<number>; emailTargets: Set<number>; userNameTargets: Set<number> } {
  const keyHeaders = new Set(matchKeys.flat().map((h) => h.toLowerCase()));
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
    if (i === managerTarget) keyTargets.add(i);
    if (isEmailTarget(t)) emailTargets.add(i);
  });
  return { keyTargets, emailTargets, userNameTargets };
}

/** Builds the checks for one compiled mapping. */
export function createValueSafety(opts: ValueSafetyOptions): ValueSafety {
  const { keyTargets, emailTargets, userNameTargets } = classifyTargets(
    opts.targets,
    opts.matchKeys,
    opts.managerTarget,
  );
  const ctx: SafetyContext = {
    file: opts.file,
    fileName: opts.file.split(/[\\/]/).pop() ?? opts.file,
    targets: opts.targets,
    sources: opts.sources,
    managerTarget: opts.managerTarget,
    keyTargets,
    emailTargets,
    userNameTargets,
    columnAt: new Map((opts.headers ?? []).map((h, i) => [h, i] as const)),
  };
  return {
    keyTargets,
    check: (mapped, raw) => checkRow(ctx, mapped, raw),
  };
}

/** Problems of one mapped row (its key values and group names trimmed in place). */
function checkRow(ctx: SafetyContext, mapped: MappedRow, raw?: CsvRow): InputProblem[] {
  let out: InputProblem[] | undefined;
  mapped.cells.forEach((cell: DesiredCell, i) => {
    if (typeof cell !== 'string' || cell === '') return;
    const found = checkCell(ctx, mapped, i, cell, raw);
    if (found.length > 0) (out ??= []).push(...found);
  });
  const groups = checkGroups(ctx, mapped);
  if (groups.length > 0) (out ??= []).push(...groups);
  return out ?? [];
}

/** "Row 3 (line 4) of people.csv: the value of userName in column "login"" — for messages. */
export function describeCell(
  fileName: string,
  mapped: Pick<MappedRow, 'row' | 'line'>,
  header: string,
  columns: readonly string[],
): string {
  const from =
    columns.length === 0
      ? ''
      : columns.length === 1
        ? ` in column "${columns[0] ?? ''}"`
        : ` in columns ${columns.map((c) => `"${c}"`).join(', ')}`;
  return `Row ${mapped.row} (line ${mapped.line}) of ${fileName}: the value of ${header}${from}`;
}

function where(ctx: SafetyContext, mapped: MappedRow, i: number): string {
  return describeCell(ctx.fileName, mapped, ctx.targets[i]?.header ?? '', ctx.sources[i] ?? []);
}

/** A problem with cell `i` of a row. */
type CellProblem = {
  code: ValueProblemCode;
  severity: 'error' | 'warning';
  message: string;
  nextStep: string;
  value: string;
};

function problem(ctx: SafetyContext, mapped: MappedRow, i: number, p: CellProblem): InputProblem {
  const column = (ctx.sources[i] ?? [])[0];
  return {
    file: ctx.file,
    line: mapped.line,
    row: mapped.row,
    ...(column !== undefined ? { column } : {}),
    value: shown(p.value),
    code: p.code,
    severity: p.severity,
    message: p.message,
    nextStep: p.nextStep,
  };
}

/** Hidden characters at the edges of the one CSV cell target `i` is read from. */
function rawEdges(ctx: SafetyContext, raw: CsvRow | undefined, i: number): string[] {
  const columns = ctx.sources[i] ?? [];
  const at = columns.length === 1 ? ctx.columnAt.get(columns[0] ?? '') : undefined;
  const cell = raw && at !== undefined ? raw.cells[at] : undefined;
  return cell === undefined || PLAIN.test(cell) ? [] : hiddenEdges(cell).edges;
}

/** Checks (and trims) one cell; returns its problems. */
function checkCell(
  ctx: SafetyContext,
  mapped: MappedRow,
  i: number,
  value: string,
  raw?: CsvRow,
): InputProblem[] {
  const key = ctx.keyTargets.has(i);
  const email = ctx.emailTargets.has(i) || (ctx.userNameTargets.has(i) && value.includes('@'));
  if (PLAIN.test(value)) {
    if ((key || email) && rawEdges(ctx, raw, i).length > 0) {
      return checkHidden(ctx, mapped, i, value, raw, email);
    }
    return email ? emailLength(ctx, mapped, i, value) : NONE;
  }
  const control = key || email ? firstAnyControl(value) : value[controlCharacterAt(value)];
  if (control !== undefined) {
    return [
      problem(ctx, mapped, i, {
        code: 'control_character',
        severity: 'error',
        message: `${where(ctx, mapped, i)} has a control character (${charName(control)}); the row is held back.`,
        nextStep:
          'Remove the control character from the cell (most editors do not show it), then plan again.',
        value,
      }),
    ];
  }
  if (!key && !email) return [];
  return checkHidden(ctx, mapped, i, value, raw, email);
}

/** Invisible characters in a key or email value: trimmed at the edges, refused inside. */
function checkHidden(
  ctx: SafetyContext,
  mapped: MappedRow,
  i: number,
  value: string,
  raw: CsvRow | undefined,
  email: boolean,
): InputProblem[] {
  const { core, edges: own, inner } = hiddenEdges(value);
  const edges = own.length > 0 ? own : rawEdges(ctx, raw, i);
  if (inner.length > 0) {
    return [
      problem(ctx, mapped, i, {
        code: 'invisible_in_key',
        severity: 'error',
        message: `${where(ctx, mapped, i)} has ${listOf(inner)} inside it; the row is held back, because removing it would change which account the row names.`,
        nextStep:
          'Type the value again without the invisible character (it often comes with text copied from a web page or a chat), then plan again.',
        value,
      }),
    ];
  }
  const out: InputProblem[] = [];
  if (edges.length > 0) {
    mapped.cells[i] = core;
    if (i === ctx.managerTarget && mapped.manager)
      mapped.manager = { ...mapped.manager, value: core };
    out.push(
      problem(ctx, mapped, i, {
        code: 'invisible_trimmed',
        severity: 'warning',
        message: `${where(ctx, mapped, i)} had ${listOf(edges)} at its edge; it is read as "${core}".`,
        nextStep: 'Nothing to do; to clean the file, type the value again.',
        value,
      }),
    );
  }
  if (email) out.push(...emailLength(ctx, mapped, i, core));
  return out;
}

/**
 * Why an address is too long for RFC 5321 (its local part over 64 octets, or the whole over 254),
 * or undefined when it fits.
 */
export function emailTooLong(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? '' : address.slice(0, at);
  const whole = octets(address);
  const localOctets = octets(local);
  if (localOctets > MAX_EMAIL_LOCAL_OCTETS) {
    return `its part before the @ is ${localOctets} characters long; an email address allows ${MAX_EMAIL_LOCAL_OCTETS}`;
  }
  if (whole > MAX_EMAIL_OCTETS) {
    return `it is ${whole} characters long; an email address allows ${MAX_EMAIL_OCTETS}`;
  }
  return undefined;
}

function emailLength(
  ctx: SafetyContext,
  mapped: MappedRow,
  i: number,
  value: string,
): InputProblem[] {
  if (value.length <= MAX_EMAIL_LOCAL_OCTETS && PLAIN.test(value)) return NONE;
  const addresses = ctx.targets[i]?.path.kind === 'joined' ? value.split(/(?<!\\);/) : [value];
  for (const address of addresses) {
    const why = emailTooLong(address);
    if (why === undefined) continue;
    return [
      problem(ctx, mapped, i, {
        code: 'email_too_long',
        severity: 'error',
        message: `${where(ctx, mapped, i)} is not a usable email address: ${why} (RFC 5321).`,
        nextStep:
          'Correct the address in the file (it may be two cells run together), then plan again.',
        value: address,
      }),
    ];
  }
  return [];
}

/** Group names: control or invisible characters inside refused, invisible edges trimmed. */
function checkGroups(ctx: SafetyContext, mapped: MappedRow): InputProblem[] {
  const groups = mapped.groups;
  if (!groups || groups.every((g) => PLAIN.test(g))) return NONE;
  const out: InputProblem[] = [];
  mapped.groups = groups.map((name) => {
    const { core, edges, inner } = hiddenEdges(name);
    const at = `Row ${mapped.row} (line ${mapped.line}) of ${ctx.fileName}: the group "${shown(name)}"`;
    const base = { file: ctx.file, line: mapped.line, row: mapped.row, value: shown(name) };
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

const NONE: InputProblem[] = [];
