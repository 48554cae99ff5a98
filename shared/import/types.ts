/**
 * The shapes import planning passes between its stages (issue #4):
 *
 *   CSV reader ─► CsvRow ─► compiled mapping ─► MappedRow ─► validation + matching + diff ─► PlanRow
 *
 * Everything is expressed in the export's round-trip column model (shared/columns/columns.ts): a
 * mapping's targets are `ColumnSpec`s (`userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:employeeNumber`, `groups`), and a row's desired state is one cell per
 * target. Comparing a row with a server resource is then "flatten the resource on the same
 * columns and compare cells", which is why an unchanged export re-imports as zero changes.
 */
import type { PatchOperation, ScimResource } from '../scim/types';
import type { ProblemCode } from '../problems/codes';

/** Where in the input a problem is: file, physical line (1-based, the header is line 1), data row. */
export type InputLocation = {
  file: string;
  /** Physical line the record starts on (a quoted field can span lines). */
  line: number;
  /** 1-based data row (the first row after the header is row 1); absent for file-level problems. */
  row?: number;
  /** CSV column header (as made distinct by the reader). */
  column?: string;
  /** The offending cell, shortened to at most 200 characters. */
  value?: string;
};

/** A problem with the input, written for the admin: what is wrong and what to do. */
export type InputProblem = InputLocation & {
  /** Stable machine code, e.g. `too_many_fields`, `unclosed_quote`, `required_missing`. */
  code: ProblemCode;
  severity: 'error' | 'warning';
  /** One sentence naming the problem, e.g. `Row 12 has 9 fields; the header has 8.`. */
  message: string;
  /** What to do about it. */
  nextStep: string;
};

/** One good data row of a CSV: cells index-aligned with {@link CsvFileInfo.headers}. */
export type CsvRow = {
  /** 1-based data row number. */
  row: number;
  /** Physical line the record starts on. */
  line: number;
  cells: string[];
  /**
   * Warnings about values of this row, naming their column: Excel damage (`excel_leading_zeros`,
   * `excel_scientific`, `excel_date_serial`). The planner holds back rows whose damaged value it
   * would send, unless the admin accepts them.
   */
  problems?: InputProblem[];
};

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
/**
 * One character that separates the fields: comma, semicolon, tab or pipe are recognised by
 * sniffing; any other character comes from an Excel `sep=` first line.
 */
export type CsvDelimiter = string;

/** What the reader found out about a file before the first row. */
export type CsvFileInfo = {
  file: string;
  bytes: number;
  encoding: CsvEncoding;
  /** A byte-order mark was present (and removed). */
  bom: boolean;
  delimiter: CsvDelimiter;
  lineEnding: 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';
  /** Header names, trimmed and made distinct (`Email`, `Email (2)`; blank → `Column 4`). */
  headers: string[];
  /** The header cells as they were in the file. */
  originalHeaders: string[];
};

/** The reader's report once a file has been read through. */
export type CsvDiagnostics = CsvFileInfo & {
  /** Data rows seen (good + damaged). */
  rows: number;
  /** Rows excluded because they were damaged. */
  damagedRows: number;
  /** Damage (errors: the row is excluded), renamed headers and Excel damage (warnings). */
  problems: InputProblem[];
  /** Problems not kept in `problems` because there were too many (the count is exact). */
  problemsOmitted: number;
};

/**
 * A row after mapping: one desired cell per target column of the compiled mapping.
 * - a string: set the attribute to this (cell text, as the export writes it: `true`/`false`,
 *   numbers as decimal text, a joined column `a;b` with `\;` escapes);
 * - `null`: clear the attribute (empty cell with the `clear` policy);
 * - `undefined`: leave whatever the server has (empty cell with the `keep` policy).
 */
export type DesiredCell = string | null | undefined;

export type MappedRow = {
  row: number;
  line: number;
  /** Index-aligned with `CompiledMapping.targets`. */
  cells: DesiredCell[];
  /** Group display names the row says the user belongs to (a `groups` mapping), de-duplicated. */
  groups?: string[];
  /** The manager, by the key given in the CSV (resolved to a SCIM id by the planner). */
  manager?: { by: string; value: string };
  /** Mapping problems (a transform failed, a date did not parse, …). */
  problems: InputProblem[];
};

/**
 * What a plan does to one person (a CSV row or a server account), in the order summaries list them.
 * The same kinds in every mode (upsert, the four sweeps, undo plans):
 *
 * - `create`: the account does not exist and is created;
 * - `update`: attributes (or group memberships) change and `active` does not go from true to false
 *   or from false to true;
 * - `reactivate`: `active` goes from false to true (with or without other changes);
 * - `deactivate`: `active` goes from true (or absent) to false, alone or with other changes — the
 *   row's `changes` list them all;
 * - `delete`: the account is deleted;
 * - `unchanged`: the account already is as the plan wants it (in unlisted sweeps: kept);
 * - `not-found`: a listed key (or a keep-list entry of an unlisted sweep) matches no account;
 * - `protected`: the protect list spares the account;
 * - `conflict`: the key matches several accounts;
 * - `invalid`: the row has errors and is skipped.
 */
export const PLAN_ACTIONS = [
  'create',
  'update',
  'reactivate',
  'deactivate',
  'delete',
  'unchanged',
  'not-found',
  'protected',
  'conflict',
  'invalid',
] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/**
 * The kinds that write to the server (apply sends them; the rest only report). `reactivate` is
 * sent like `update`; `not-found` and `protected` send nothing, like `unchanged`.
 */
export const CHANGING_ACTIONS = [
  'create',
  'update',
  'reactivate',
  'deactivate',
  'delete',
] as const satisfies readonly PlanAction[];
type ChangingAction = (typeof CHANGING_ACTIONS)[number];

/** True for a kind apply sends to the server (see {@link CHANGING_ACTIONS}). */
export function isChangingAction(action: PlanAction): action is ChangingAction {
  return (CHANGING_ACTIONS as readonly PlanAction[]).includes(action);
}

/** One attribute's change, as cell text in the column model; `null` is "no value". */
export type AttributeChange = { path: string; old: string | null; new: string | null };

/** A group the plan adds the user to or removes the user from. */
export type GroupChange = {
  display: string;
  /** The group's SCIM id when it exists on the server; absent means the group will be created. */
  id?: string;
};

export type PlanRow = {
  /** Position in the plan file (0-based). */
  seq: number;
  action: PlanAction;
  /** CSV row and line; absent for server accounts that are not in the CSV (unlisted sweeps). */
  row?: number;
  line?: number;
  /** userName (users) or displayName (groups): what the admin recognises. */
  display: string;
  /** The match key that found the server resource, or why none did. */
  match?: { key?: string; value?: string; reason: string };
  /** Server id and ETag (`meta.version`) of the matched resource. */
  id?: string;
  version?: string;
  /** Attribute-level changes (update, deactivate), old → new. */
  changes?: AttributeChange[];
  /** The PATCH to send (update/deactivate with PATCH support). */
  operations?: PatchOperation[];
  /** The full PUT body when the server has no PATCH. */
  replace?: ScimResource;
  /** The resource to POST (create). */
  create?: ScimResource;
  groups?: { add: GroupChange[]; remove: GroupChange[] };
  /** Manager key to resolve after creates (the manager is created in the same run). */
  managerRef?: { by: string; value: string };
  /** Conflict: the ids of every candidate. */
  candidates?: string[];
  /** Why the row is invalid or a conflict, and warnings for the others. */
  problems?: InputProblem[];
};
