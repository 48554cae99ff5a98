/**
 * The integrity corpus (test/fixtures/csv-corpus/integrity-cases.ts) planned and applied against
 * the sandbox: for every file class, which rows the plan writes, which it holds back (with the
 * problem naming row and column), and what the server holds afterwards — exactly the people the
 * file meant, spelled as the file meant them, and nobody else.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { openPlan } from '../../engine/plan/plan-file';
import type { PlanOptions } from '../../engine/plan/plan-input';
import { buildPlan } from '../../engine/plan/planner';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { isAppError } from '../../shared/errors/errors';
import type { PlanRow } from '../../shared/import/types';
import { parseMappingSpec, type MappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { CORPUS, type CorpusCase } from '../fixtures/csv-corpus/make-corpus';
import { emailOfLength, emailWithLocal } from '../fixtures/csv-corpus/integrity-cases';
import { connectTo, HR_MAPPING } from '../harness/plan-fixtures';

const ENT = URN.enterpriseUser;
let dir = '';
let server: SandboxHandle;
let conn: OpenConnection;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-corpus-apply-'));
  server = await startSandbox({ port: 0, seed: 0 });
  conn = await connectTo(server);
});
afterEach(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function mapping(attributes: { target: string; column: string }[], extra = {}): MappingSpec {
  return parseMappingSpec({
    version: 1,
    attributes: attributes.map((a) => ({ target: a.target, source: { column: a.column } })),
    match: { keys: [['userName']] },
    ...extra,
  });
}

const NAMES = mapping([
  { target: 'userName', column: 'userName' },
  { target: 'displayName', column: 'displayName' },
]);

type Planned = { rows: PlanRow[]; planFile: string; damaged: number | undefined };

async function plan(
  name: CorpusCase,
  spec: MappingSpec,
  extra: Partial<PlanOptions> = {},
): Promise<Planned> {
  const csvFile = join(dir, `${name}.csv`);
  await writeFile(csvFile, CORPUS[name]());
  const planFile = join(dir, `${name}.plan.jsonl`);
  const result = await buildPlan({
    csvFile,
    mapping: spec,
    outFile: planFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
    ...extra,
  });
  const reader = await openPlan(planFile);
  const rows: PlanRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  reader.close();
  return { rows, planFile, damaged: result.summary.csv?.damagedRows };
}

async function apply(planFile: string): Promise<void> {
  const result = await applyPlan({ conn, dataDir: dir, planFile, target: {} });
  expect(result.run.status).toBe('completed');
}

function users(): ScimResource[] {
  return server.store.list('User');
}

/** userName → displayName of every user on the server, sorted. */
function held(attr = 'displayName'): [string, unknown][] {
  return users()
    .map((u): [string, unknown] => [String(u.userName), u[attr]])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** `action row` for each plan row, and `code@row:column` for its error problems. */
function outcome(rows: readonly PlanRow[]): string[] {
  return rows.map((r) => {
    const errors = (r.problems ?? [])
      .filter((p) => p.severity === 'error')
      .map((p) => ` ${p.code}@${p.row ?? '-'}:${p.column ?? '-'}`);
    return `${r.action} ${r.row ?? '-'}${errors.join('')}`;
  });
}

async function refusal(run: () => Promise<unknown>): Promise<{ message: string; fix?: unknown }> {
  try {
    await run();
  } catch (e) {
    if (isAppError(e)) return { message: e.message, fix: e.facts.csvFix };
    throw e;
  }
  throw new Error('no error');
}

describe('the file classes of issue #15, planned and applied', () => {
  it('mixed CRLF / LF / lone CR: all nine people reach the server', async () => {
    const p = await plan('mixedLineEndingsAll', NAMES);
    expect(p.rows.map((r) => r.action)).toEqual(Array(9).fill('create'));
    await apply(p.planFile);
    expect(held()).toEqual([
      ['u1@example.com', 'One'],
      ['u2@example.com', 'Two'],
      ['u3@example.com', 'Three'],
      ['u4@example.com', 'Four'],
      ['u5@example.com', 'Five'],
      ['u6@example.com', 'Six\rQuoted'],
      ['u7@example.com', 'Seven'],
      ['u8@example.com', 'Eight'],
      ['u9@example.com', 'Nine'],
    ]);
  });

  it('sep=| and sep=^: the cells as the file separates them', async () => {
    await apply((await plan('sepPipe', NAMES)).planFile);
    await apply((await plan('sepCaret', NAMES)).planFile);
    expect(held()).toEqual([
      ['ada@example.com', 'Ada; Lovelace, Countess'],
      ['bob@example.com', 'Byte, Bob'],
    ]);
  });

  it('invisible characters in headers: the columns map by the names a person reads', async () => {
    const spec = mapping([
      { target: 'userName', column: 'userName' },
      { target: 'displayName', column: 'display Name' },
      { target: 'emails[type eq "work"].value', column: 'Email' },
      { target: 'title', column: 'title' },
    ]);
    await apply((await plan('invisibleHeaders', spec)).planFile);
    const [ada] = users();
    expect(users()).toHaveLength(1);
    expect(ada).toMatchObject({
      userName: 'ada@example.com',
      displayName: 'Ada',
      title: 'Countess',
    });
    expect(ada?.['emails']).toEqual([{ type: 'work', value: 'ada@example.com', primary: true }]);
  });

  it('invisible characters in keys and emails: trimmed at the edges, refused inside', async () => {
    const spec = mapping([
      { target: 'userName', column: 'userName' },
      { target: 'displayName', column: 'displayName' },
      { target: 'emails[type eq "work"].value', column: 'email' },
    ]);
    const p = await plan('invisibleKeys', spec);
    expect(outcome(p.rows)).toEqual([
      'create 1',
      'invalid 2 invisible_in_key@2:userName',
      'create 3',
      'invalid 4 invisible_in_key@4:email invalid_email@4:email',
      'create 5',
    ]);
    const warned = p.rows.map((r) =>
      (r.problems ?? [])
        .filter((x) => x.code === 'invisible_trimmed')
        .map((x) => `${x.row}:${x.column}`),
    );
    expect(warned).toEqual([['1:userName', '1:email'], [], ['3:userName'], ['4:userName'], []]);
    expect(p.rows[1]?.problems?.[0]?.message).toBe(
      'Row 2 (line 3) of invisibleKeys.csv: the value of userName in column "userName" has an invisible character (zero-width space U+200B) inside it; the row is held back, because removing it would change which account the row names.',
    );
    await apply(p.planFile);
    expect(held()).toEqual([
      ['ada@example.com', 'Ada'],
      ['cy@example.com', 'Cy'],
      ['eve@example.com', 'Eve\u200D'],
    ]);
    expect(users().map((u) => (u['emails'] as { value: string }[])[0]?.value)).toEqual([
      'ada@example.com',
      'cy@example.com',
      'eve@example.com',
    ]);
  });

  it('one cell of invalid UTF-8: that row is left out and never sent; the others are exact', async () => {
    const p = await plan('invalidUtf8Cell', NAMES);
    expect(p.damaged).toBe(1);
    expect(outcome(p.rows)).toEqual(['create 1', 'create 3']);
    await apply(p.planFile);
    expect(held()).toEqual([
      ['li@example.com', '李小龙'],
      ['zoe@example.com', 'Zoë'],
    ]);
  });

  it('a wholly Windows-1252 file: every accent as the file meant it', async () => {
    await apply((await plan('windows1252Whole', NAMES)).planFile);
    expect(held()).toEqual([
      ['anne@example.com', 'Anne Müller'],
      ['chloe@example.com', 'Chloé Brontë'],
      ['jose@example.com', 'José Núñez'],
    ]);
  });

  it('control characters and terminal escapes never reach the server', async () => {
    const p = await plan('controlCharacters', NAMES);
    expect(p.damaged).toBe(3);
    await apply(p.planFile);
    expect(held()).toEqual([
      ['ada@example.com', 'Ada'],
      ['cy@example.com', 'Cy\r\nTwo Lines'],
    ]);
  });

  it('email addresses over the RFC 5321 limits are held back', async () => {
    const spec = mapping([
      { target: 'userName', column: 'userName' },
      { target: 'emails[type eq "work"].value', column: 'userName' },
      { target: 'displayName', column: 'displayName' },
    ]);
    const p = await plan('longEmails', spec);
    expect(outcome(p.rows)).toEqual([
      'create 1',
      'invalid 2 email_too_long@2:userName email_too_long@2:userName',
      'create 3',
      'invalid 4 email_too_long@4:userName email_too_long@4:userName',
    ]);
    await apply(p.planFile);
    expect(held().map(([n]) => n)).toEqual([emailOfLength(254), emailWithLocal(64)].sort());
  });

  it('no header row: refused with the fix; read with no header, every line is a person', async () => {
    const spec = mapping([
      { target: 'userName', column: 'Column 1' },
      { target: 'name.givenName', column: 'Column 2' },
      { target: 'name.familyName', column: 'Column 3' },
    ]);
    const e = await refusal(() => plan('noHeader', spec));
    expect(e.fix).toEqual({ header: false });
    expect(users()).toEqual([]);
    await apply((await plan('noHeader', { ...spec, header: false })).planFile);
    expect(held('name')).toEqual([
      ['ada@example.com', { givenName: 'Ada', familyName: 'Lovelace' }],
      ['bob@example.com', { givenName: 'Bob', familyName: 'Byte' }],
      ['cy@example.com', { givenName: 'Cy', familyName: 'Young' }],
    ]);
  });

  it('title lines above the header: refused with the fix; skipped, no title becomes a user', async () => {
    const e = await refusal(() => plan('titleLines', NAMES));
    expect(e.fix).toEqual({ skipLines: 3 });
    await apply((await plan('titleLines', { ...NAMES, skipLines: 3 })).planFile);
    expect(held()).toEqual([
      ['ada@example.com', 'Ada'],
      ['bob@example.com', 'Bob'],
    ]);
  });

  it('Excel damage in mapped columns is held back unless accepted', async () => {
    const spec = mapping([
      { target: 'userName', column: 'userName' },
      { target: `${ENT}:employeeNumber`, column: 'employeeNumber' },
      { target: 'phoneNumbers[type eq "work"].value', column: 'phone' },
    ]);
    const p = await plan('excelDamageMapped', spec);
    expect(outcome(p.rows)).toEqual([
      'create 1',
      'invalid 2 excel_scientific@2:phone',
      'invalid 3 excel_leading_zeros@3:employeeNumber',
      'create 4',
      'create 5',
    ]);
    await apply(p.planFile);
    expect(held().map(([n]) => n)).toEqual([
      'ada@example.com',
      'dee@example.com',
      'eve@example.com',
    ]);
    const accepted = await plan('excelDamageMapped', spec, { accept: { excelDamage: true } });
    expect(outcome(accepted.rows)).toEqual([
      'unchanged 1',
      'create 2',
      'create 3',
      'unchanged 4',
      'unchanged 5',
    ]);
    await apply(accepted.planFile);
    const cy = users().find((u) => u.userName === 'cy@example.com');
    expect((cy?.[ENT] as { employeeNumber?: string }).employeeNumber).toBe('89');
  });

  it('rows in a manager cycle are held back; the others are written', async () => {
    const p = await plan('managerCycle', HR_MAPPING);
    expect(outcome(p.rows)).toEqual([
      'invalid 1 manager_cycle@1:-',
      'invalid 2 manager_cycle@2:-',
      'create 3',
      'invalid 4 manager_cycle@4:-',
      'create 5',
    ]);
    await apply(p.planFile);
    expect(held('userName').map(([n]) => n)).toEqual(['cy@example.com', 'eve@example.com']);
    const manager = users().map((u) => (u[ENT] as { manager?: unknown } | undefined)?.manager);
    expect(manager).toEqual([undefined, undefined]);
  });

  it('an unlisted sweep with rows left out is refused, and nobody is deactivated', async () => {
    for (const n of ['ada', 'bob', 'cy', 'dee']) {
      await conn.client.create('/Users', {
        schemas: [URN.user],
        userName: `${n}@example.com`,
        active: true,
      });
    }
    const e = await refusal(() => plan('invisibleKeys', NAMES, { mode: 'deactivate-unlisted' }));
    expect(e.message).toBe(
      'A sweep of unlisted accounts needs every row of invisibleKeys.csv, but 1 row was left out (row 2 (line 3)): the accounts it names would be swept.',
    );
    expect(users().every((u) => u['active'] === true)).toBe(true);
  });

  it('a file truncated while it is planned stops the plan; nothing is planned or written', async () => {
    const csvFile = join(dir, 'changing.csv');
    await writeFile(csvFile, CORPUS.changingFile());
    const planFile = join(dir, 'changing.plan.jsonl');
    let chunks = 0;
    const e = await refusal(() =>
      buildPlan({
        csvFile,
        mapping: NAMES,
        outFile: planFile,
        source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
        csv: {
          afterChunk: async () => {
            if (++chunks === 3) await truncate(csvFile, 5000);
          },
        },
      }),
    );
    expect(e.message).toMatch(
      /^The file changing\.csv changed while it was read: it was shortened/,
    );
    await expect(openPlan(planFile)).rejects.toThrow();
    expect(users()).toEqual([]);
  });
});
