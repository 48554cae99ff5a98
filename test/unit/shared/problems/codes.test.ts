import { describe, expect, it } from 'vitest';
import {
  CSV_FILE_PROBLEM_CODES,
  EXCEL_DAMAGE_CODES,
  MAPPING_PROBLEM_CODES,
  PLAN_PROBLEM_CODES,
  PROBLEM_CODES,
  VALUE_PROBLEM_CODES,
  type ProblemCode,
} from '../../../../shared/problems/codes';
import type { InputProblem } from '../../../../shared/import/types';
import { CODE_WORDS } from '../../../../shared/problems/group';
import { InputProblemSchema } from '../../../../shared/plan/plan-format';
import { DISCOVERY_WARNING_CODES } from '../../../../shared/scim/discovery-types';

/**
 * Codes a group of several rows names by its first problem's message instead of a word from the
 * table (file-level codes, codes whose message names the cause). A new code must be added either
 * to `CODE_WORDS` or here.
 */
const WORDED_BY_MESSAGE: readonly ProblemCode[] = [
  'extra_empty_fields',
  'bad_quote',
  'record_too_large',
  'invalid_encoding',
  'control_character',
  'no_rows',
  'blank_header',
  'duplicate_header',
  'invisible_header',
  'excel_date_format',
  'unknown_status',
  'invalid_boolean',
  'required_cleared',
  'not_canonical',
  'not_canonical_type',
  'invalid_email',
  'email_too_long',
  'read_only_target',
  'read_only_change',
  'immutable_change',
  'invisible_in_key',
  'invisible_trimmed',
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
  'invalid',
  'conflict',
];

describe('problem codes', () => {
  it('are the union of the families, each family without repeats', () => {
    for (const family of [
      CSV_FILE_PROBLEM_CODES,
      EXCEL_DAMAGE_CODES,
      MAPPING_PROBLEM_CODES,
      VALUE_PROBLEM_CODES,
      PLAN_PROBLEM_CODES,
      DISCOVERY_WARNING_CODES,
    ]) {
      expect(new Set(family).size).toBe(family.length);
    }
    expect(new Set(PROBLEM_CODES)).toEqual(
      new Set([
        ...CSV_FILE_PROBLEM_CODES,
        ...EXCEL_DAMAGE_CODES,
        ...MAPPING_PROBLEM_CODES,
        ...VALUE_PROBLEM_CODES,
        ...PLAN_PROBLEM_CODES,
      ]),
    );
  });

  it('each have their wording: a word in the group table, or the first message by decision', () => {
    const worded = Object.keys(CODE_WORDS);
    for (const code of worded) expect(PROBLEM_CODES).toContain(code);
    for (const code of WORDED_BY_MESSAGE) expect(worded).not.toContain(code);
    expect(new Set([...worded, ...WORDED_BY_MESSAGE])).toEqual(new Set(PROBLEM_CODES));
  });

  it('are closed: a misspelt code fails the typecheck', () => {
    // @ts-expect-error `requird_missing` is not a problem code
    const code: InputProblem['code'] = 'requird_missing';
    expect(PROBLEM_CODES).not.toContain(code);
  });

  it('are checked when a plan file is read: an unknown code is refused', () => {
    const base = { file: 'hr.csv', line: 2, severity: 'error', message: 'm.', nextStep: 'n.' };
    expect(InputProblemSchema.safeParse({ ...base, code: 'required_missing' }).success).toBe(true);
    expect(InputProblemSchema.safeParse({ ...base, code: 'requird_missing' }).success).toBe(false);
  });
});
