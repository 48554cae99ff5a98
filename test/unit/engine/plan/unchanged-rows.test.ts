/**
 * "Unchanged" must be proven, never assumed: the diff reads the server's cells through
 * flattenCells (flatten-cells.ts, which places values directly for speed), so each case here
 * changes one cell of a row that otherwise equals a realistic user's own export and expects an
 * update naming exactly that cell — a letter-case change (on a caseExact attribute and on one that
 * is not), the second value of a multi-valued attribute, an extension attribute, a cleared cell,
 * a joined (multi-valued) cell, and the same cells under another spelling of the attribute names.
 */
import { describe, expect, it } from 'vitest';
import { flattenResource } from '../../../../engine/columns/flatten';
import {
  decideRow,
  type DecideContext,
  type PreparedRow,
} from '../../../../engine/plan/decide-row';
import type { DesiredCell } from '../../../../shared/import/types';
import type { ScimResource } from '../../../../shared/scim/types';
import { ADA_HEADERS, ENT, SCHEMAS, USER_TYPE, ada, cols } from '../../shared/plan/helpers';

const HEADERS = ADA_HEADERS.filter((h) => h !== 'groups');
const TARGETS = cols(...HEADERS);

const CTX: DecideContext = {
  mode: 'upsert',
  targets: TARGETS,
  schemas: SCHEMAS,
  resourceType: USER_TYPE,
  patch: true,
  groupsMode: undefined,
  groups: new Map(),
  file: 'hr.csv',
  keyTargets: [[0]],
  sourceColumns: HEADERS.map((h) => [h]),
  protects: () => undefined,
};

function prepared(cells: DesiredCell[]): PreparedRow {
  return { seq: 0, mapped: { row: 1, line: 2, cells, problems: [] }, cells, problems: [] };
}

/** The plan row for the user's own export with `edits` (header → cell) applied. */
function plan(edits: Record<string, DesiredCell>, server: ScimResource = ada()) {
  const cells: DesiredCell[] = flattenResource(ada(), TARGETS).cells;
  for (const [header, cell] of Object.entries(edits)) cells[HEADERS.indexOf(header)] = cell;
  const match = { kind: 'one' as const, key: 'userName', value: 'ada@example.com', reason: 'r' };
  return decideRow(prepared(cells), { ...match, server }, CTX);
}

/** A copy of the user with its attribute names spelt in upper case (SCIM names are case-insensitive). */
function shouted(): ScimResource {
  const up = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(up);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), up(x)]));
  };
  const r = up(ada()) as Record<string, unknown>;
  const out: Record<string, unknown> = { id: 'u1' };
  for (const [k, v] of Object.entries(r)) out[k === ENT.toUpperCase() ? ENT.toLowerCase() : k] = v;
  return out as ScimResource;
}

describe('unchanged rows', () => {
  it('are unchanged when every cell equals the server’s (also with other spellings of the names)', () => {
    expect(plan({}).action).toBe('unchanged');
    expect(plan({}, shouted()).action).toBe('unchanged');
  });

  it.each([
    ['a letter-case change on a caseExact attribute', 'externalId', 'e-1001', 'E-1001'],
    [
      'a letter-case change on a case-insensitive one',
      'userName',
      'Ada@example.com',
      'ada@example.com',
    ],
    [
      'the second value of a multi-valued attribute',
      'emails[type eq "home"].value',
      'ada@new.example',
      'ada@home.example',
    ],
    [
      'a second phone number',
      'phoneNumbers[type eq "mobile"].value',
      '+44 7700 900001',
      '+44 7700 900000',
    ],
    ['an extension attribute', `${ENT}:department`, 'research', 'Research'],
    ['an extension complex sub-attribute', `${ENT}:manager.value`, 'u9', 'u0'],
    ['a cleared cell', 'title', null, 'Analyst'],
    ['a cleared multi-valued value', 'emails[type eq "home"].value', '', 'ada@home.example'],
    ['a joined cell with one value more', 'roles.value', 'analyst;writer;admin', 'analyst;writer'],
    ['a sub-attribute of a complex attribute', 'name.givenName', 'Augusta', 'Ada'],
    ['trailing white space', 'displayName', 'Ada Lovelace ', 'Ada Lovelace'],
  ])('are an update on %s', (_what, header, cell, old) => {
    for (const server of [ada(), shouted()]) {
      const row = plan({ [header]: cell }, server);
      expect(row.action).toBe('update');
      expect(row.changes).toEqual([{ path: header, old, new: cell === '' ? null : cell }]);
    }
  });
});
