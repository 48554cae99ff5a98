/**
 * The closed sets of problem codes (`InputProblem.code`): one list per family, `as const`, so a
 * code that is misspelt where a problem is made fails the typecheck. Codes are stable: plan files
 * and reports store them, and `shared/problems/group.ts` words groups by them.
 */

/** The CSV reader: the file, its header and the shape of its records (`engine/csv`). */
export const CSV_FILE_PROBLEM_CODES = [
  'too_many_fields',
  'too_few_fields',
  'extra_empty_fields',
  'bad_quote',
  'unclosed_quote',
  'record_too_large',
  'invalid_encoding',
  'control_character',
  'no_rows',
  'blank_header',
  'duplicate_header',
  'invisible_header',
] as const;

/** Values Excel damaged on a save, found by the reader (`engine/csv/excel-damage.ts`). */
export const EXCEL_DAMAGE_CODES = [
  'excel_leading_zeros',
  'excel_scientific',
  'excel_date_serial',
  'excel_date_format',
] as const;

/** Mapping one row: transforms, status words, yes/no words (`engine/mapping`). */
export const MAPPING_PROBLEM_CODES = [
  'transform_failed',
  'unknown_status',
  'invalid_boolean',
] as const;

/** A mapped value checked against its attribute and the server's write rules (`engine/plan`, `engine/resources`). */
export const VALUE_PROBLEM_CODES = [
  'required_missing',
  'required_cleared',
  'not_boolean',
  'not_integer',
  'not_decimal',
  'not_datetime',
  'not_canonical',
  'not_canonical_type',
  'invalid_email',
  'email_too_long',
  'read_only_target',
  'read_only_change',
  'immutable_change',
  'control_character',
  'invisible_in_key',
  'invisible_trimmed',
] as const;

/** Matching a row with the server and deciding what to do with it (`engine/plan`, undo plans). */
export const PLAN_PROBLEM_CODES = [
  'ambiguous_match',
  'read_mismatch',
  'not_found',
  'keep_not_found',
  'duplicate_key',
  'manager_ambiguous',
  'manager_missing',
  'manager_cycle',
  'protected',
  'undo_new_id',
  'gone',
  // A held-back row without a more precise problem, reported under its action.
  'invalid',
  'conflict',
] as const;

export type CsvFileProblemCode = (typeof CSV_FILE_PROBLEM_CODES)[number];
export type ExcelDamageCode = (typeof EXCEL_DAMAGE_CODES)[number];
export type MappingProblemCode = (typeof MAPPING_PROBLEM_CODES)[number];
export type ValueProblemCode = (typeof VALUE_PROBLEM_CODES)[number];
export type PlanProblemCode = (typeof PLAN_PROBLEM_CODES)[number];

/** Every code an `InputProblem` can carry. */
export type ProblemCode =
  CsvFileProblemCode | ExcelDamageCode | MappingProblemCode | ValueProblemCode | PlanProblemCode;

/** Every problem code (a code may belong to two families, e.g. `control_character`). */
export const PROBLEM_CODES = [
  ...CSV_FILE_PROBLEM_CODES,
  ...EXCEL_DAMAGE_CODES,
  ...MAPPING_PROBLEM_CODES,
  ...VALUE_PROBLEM_CODES,
  ...PLAN_PROBLEM_CODES,
] as const;
