/**
 * Shared set-up for tests that plan and apply against a live server: a bearer connection to a
 * test server, the HR-style mapping the apply and undo tests use, and a helper that writes a CSV
 * and plans it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import type { PlanOptions } from '../../engine/plan/plan-input';
import { parseMappingSpec, type MappingSpec } from '../../shared/mapping/spec';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;

/** Opens a connection (discovery included) to a test server with a bearer token. */
export function connectTo(server: { url: string; token: string }): Promise<OpenConnection> {
  return openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
  );
}

/** Id, names, email, title, status, groups (sync) and manager by employee number. */
export const HR_MAPPING: MappingSpec = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' }, transforms: ['lower'] },
    { target: 'name.givenName', source: { column: 'First' } },
    { target: 'name.familyName', source: { column: 'Last' } },
    { target: 'title', source: { column: 'Title' } },
    { target: `${ENT}:employeeNumber`, source: { column: 'Id' } },
  ],
  active: { column: 'Status' },
  groups: { column: 'Groups', mode: 'sync' },
  manager: { column: 'Manager', by: 'employeeNumber' },
  match: { keys: [[`${ENT}:employeeNumber`], ['userName']] },
});

export const HR_HEADER = 'Id,First,Last,Email,Title,Status,Groups,Manager\n';

/** Writes `csv` into `dir` and plans it against `conn`; resolves with the plan file. */
export async function planCsv(
  conn: OpenConnection,
  dir: string,
  csv: string,
  extra: Partial<PlanOptions> = {},
  mapping: MappingSpec = HR_MAPPING,
): Promise<string> {
  const tag = Math.random().toString(36).slice(2);
  const csvFile = join(dir, `in-${tag}.csv`);
  await writeFile(csvFile, csv);
  const outFile = join(dir, `plan-${tag}.jsonl`);
  await buildPlan({
    csvFile,
    mapping,
    outFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
    ...extra,
  });
  return outFile;
}
