/**
 * The file checks as the CLI user meets them (runCli in-process, against the sandbox): what a plan
 * that leaves rows out exits with and where it says they are listed, the fix offered for a file
 * whose header is not on line 1, the accept flags, and the sentences for what is not a CSV.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { serializeMappingSpec } from '../../shared/mapping/spec';
import { CORPUS, type CorpusCase } from '../fixtures/csv-corpus/make-corpus';
import { HR_MAPPING } from '../harness/plan-fixtures';

let dir = '';
let server: SandboxHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-file-checks-'));
  server = await startSandbox({ port: 0, seed: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

type Run = { code: number; out: string[]; err: string[] };

async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: () => undefined,
    env: { SCIM_TOKEN: server.token },
    cwd: dir,
  };
  const code = await runCli(['--data-dir', join(dir, 'data'), ...argv], io);
  return { code, out, err };
}

async function corpusFile(name: CorpusCase): Promise<string> {
  const path = join(dir, `${name}.csv`);
  await writeFile(path, CORPUS[name]());
  return path;
}

async function mappingFile(name: string, json: unknown): Promise<string> {
  const path = join(dir, `${name}.mapping.json`);
  await writeFile(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

const NAMES = {
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'userName' } },
    { target: 'displayName', source: { column: 'displayName' } },
  ],
  match: { keys: [['userName']] },
};

async function plan(
  csv: string,
  mapping: string,
  ...flags: string[]
): Promise<Run & { out_: string }> {
  const outFile = join(dir, `${Math.random().toString(36).slice(2)}.plan.jsonl`);
  const r = await cli(
    'plan',
    '--csv',
    csv,
    '--mapping',
    mapping,
    '--url',
    server.url,
    '--out',
    outFile,
    ...flags,
  );
  return { ...r, out_: outFile };
}

describe('plan: rows left out', () => {
  it('damaged rows: exit 3, how many, and the file that lists each with its reason', async () => {
    const r = await plan(await corpusFile('controlCharacters'), await mappingFile('names', NAMES));
    expect(r.code).toBe(3);
    const leftOut = r.out_.replace(/\.jsonl$/, '.left-out.csv');
    expect(r.err).toContain(
      `Left out: 3 of 5 rows (3 damaged in the file); nothing is written for them. Each is listed with the reason in ${leftOut}.`,
    );
    const lines = (await readFile(leftOut, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe('row,line,action,code,column,message,value');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      '2,3,not read,control_character,displayName',
      '3,4,not read,control_character,displayName',
      '4,5,not read,control_character,displayName',
    ]);
  });

  it('a clean file: exit 0 and no left-out list', async () => {
    const r = await plan(
      await corpusFile('mixedLineEndingsAll'),
      await mappingFile('names', NAMES),
    );
    expect(r.code).toBe(0);
    expect(r.err.some((l) => l.startsWith('Left out'))).toBe(false);
    expect(existsSync(r.out_.replace(/\.jsonl$/, '.left-out.csv'))).toBe(false);
  });

  it('Excel damage: held back (exit 3) unless --accept-excel-damage', async () => {
    const spec = await mappingFile('excel', {
      version: 1,
      attributes: [
        { target: 'userName', source: { column: 'userName' } },
        { target: 'phoneNumbers[type eq "work"].value', source: { column: 'phone' } },
      ],
      match: { keys: [['userName']] },
    });
    const csv = await corpusFile('excelDamageMapped');
    const held = await plan(csv, spec);
    expect(held.code).toBe(3);
    expect(held.err.find((l) => l.startsWith('Left out'))).toMatch(
      /^Left out: 1 of 5 rows \(1 invalid\)/,
    );
    expect(held.err).toContain(
      '  row 2: Row 2 (line 3) of excelDamageMapped.csv: "4.41632E+11" in column "phone" is a number in scientific notation; Excel rounded it and its digits are lost. The row is held back.',
    );
    expect((await plan(csv, spec, '--accept-excel-damage')).code).toBe(0);
  });

  it('manager cycles: held back (exit 3) unless --accept-manager-cycles', async () => {
    const spec = await mappingFile('hr', serializeMappingSpec(HR_MAPPING));
    const csv = await corpusFile('managerCycle');
    const held = await plan(csv, spec);
    expect(held.code).toBe(3);
    expect(held.err.find((l) => l.startsWith('Left out'))).toMatch(
      /^Left out: 3 of 5 rows \(3 invalid\)/,
    );
    expect((await plan(csv, spec, '--accept-manager-cycles')).code).toBe(0);
  });
});

describe('where the header is: the fix is offered and works', () => {
  it('title lines: plan names them and the flag; with --skip-lines the plan is ready', async () => {
    const csv = await corpusFile('titleLines');
    const spec = await mappingFile('names', NAMES);
    const refused = await plan(csv, spec);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      'Error: titleLines.csv has 3 lines above its header row, starting with "Employee report"; the header seems to be line 4 ("userName,displayName,department").',
      'Next step: Skip the first 3 lines when reading the file, then continue.',
      'Fix: run the command again with --skip-lines 3 (the mapping written by "scim-porter mapping suggest" then records it).',
    ]);
    expect((await plan(csv, spec, '--skip-lines', '3')).code).toBe(0);
  });

  it('no header row: mapping suggest offers --no-header, records it, and plan reads the same way', async () => {
    const csv = await corpusFile('noHeader');
    const refused = await cli('mapping', 'suggest', csv);
    expect(refused.code).toBe(1);
    expect(refused.err.at(-1)).toBe(
      'Fix: run the command again with --no-header (the mapping written by "scim-porter mapping suggest" then records it).',
    );
    const suggested = await cli('mapping', 'suggest', csv, '--no-header');
    expect(suggested.code).toBe(0);
    const spec = JSON.parse(suggested.out.join('\n')) as { header?: boolean };
    expect(spec.header).toBe(false);
    const r = await plan(csv, await mappingFile('suggested', suggested.out.join('\n')));
    expect(r.code).toBe(0);
    expect(r.err.find((l) => l.includes('create'))).toMatch(/create 3 /);
  });
});

describe('what is not a CSV file', () => {
  it('an HTML page and a folder named .csv: exit 1 with a sentence naming the file', async () => {
    const spec = await mappingFile('names', NAMES);
    const html = await plan(await corpusFile('htmlPage'), spec);
    expect(html.code).toBe(1);
    expect(html.err[0]).toBe('Error: htmlPage.csv is an HTML page, not a CSV file.');
    const folder = join(dir, 'export.csv');
    await mkdir(folder, { recursive: true });
    const suggested = await cli('mapping', 'suggest', folder);
    expect(suggested.code).toBe(1);
    expect(suggested.err[0]).toBe(`Error: ${folder} is a folder, not a CSV file.`);
  });
});
