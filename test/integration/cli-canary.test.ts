/**
 * The CLI after `apply --canary N` (issue 19 item 6): it lists the accounts the canary changed —
 * who, what kind, the outcome and the server's state now, read back — in the app's words. And
 * `runs show` reads a run's counts as the app's results and Runs do (item 2).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../harness/cli-in-process';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { CanaryEvidence } from '../../shared/ipc/schemas/canary';
import { HR_HEADER, HR_MAPPING } from '../harness/plan-fixtures';

let dir: string;
let server: SandboxHandle;

type Run = CliRun;

function cli(args: string[]): Promise<Run> {
  return runCliCaptured([...args, '--url', server.url, '--data-dir', join(dir, 'data')], {
    env: { SCIM_TOKEN: server.token },
    cwd: dir,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-cli-canary-'));
  server = await startSandbox({ port: 0, seed: 0 });
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(HR_MAPPING));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('scim-porter apply --canary', () => {
  it('lists the accounts the canary changed with the state the server holds now', async () => {
    let csv = HR_HEADER;
    for (let i = 1; i <= 5; i++)
      csv += `C${i},Cara,Nary${i},cara${i}@example.com,Tester,Active,,\n`;
    await writeFile(join(dir, 'in.csv'), csv);
    const p = await cli([
      'plan',
      '--csv',
      'in.csv',
      '--mapping',
      'mapping.json',
      '--out',
      'p.jsonl',
    ]);
    expect(p.code, p.err).toBe(0);

    const a = await cli([
      'apply',
      'p.jsonl',
      '--yes',
      '--canary',
      '2',
      '--batch-size',
      '1',
      '--json',
    ]);
    expect(a.code, a.err).toBe(3);
    const users = server.store.list('User');
    expect(users.map((u) => u['userName']).sort()).toEqual([
      'cara1@example.com',
      'cara2@example.com',
    ]);
    expect(a.err).toContain('The canary changed 2 accounts; as the server holds them now:');
    expect(a.err).toMatch(/ACCOUNT\s+CHANGE\s+OUTCOME\s+ON THE SERVER NOW/);
    for (const u of users) {
      const line = a.err.split('\n').find((l) => l.includes(String(u['userName']))) ?? '';
      expect(line).toMatch(/create\s+done\s+active · /);
      expect(line).toContain(`title: ${String(u['title'])}`);
    }
    const json = JSON.parse(a.out) as { canary: CanaryEvidence };
    expect(json.canary.total).toBe(2);
    expect(json.canary.accounts.map((x) => x.id).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it('runs show reads the counts as the app does: rows left alone are never done', async () => {
    const row = (n: number, title: string) =>
      `S${n},Sam,Show${n},sam${n}@example.com,${title},Active,,\n`;
    await writeFile(join(dir, 'a.csv'), HR_HEADER + row(1, 'Clerk') + row(2, 'Clerk'));
    await cli(['plan', '--csv', 'a.csv', '--mapping', 'mapping.json', '--out', 'a.jsonl']);
    expect((await cli(['apply', 'a.jsonl', '--yes'])).code).toBe(0);
    // Sam 1 is updated, Sam 2 is unchanged, Sam 3 is created.
    await writeFile(
      join(dir, 'b.csv'),
      HR_HEADER + row(1, 'Lead') + row(2, 'Clerk') + row(3, 'New'),
    );
    await cli(['plan', '--csv', 'b.csv', '--mapping', 'mapping.json', '--out', 'b.jsonl']);
    const b = await cli(['apply', 'b.jsonl', '--yes', '--json']);
    expect(b.code, b.err).toBe(0);
    const runId = (JSON.parse(b.out) as { run: { id: string } }).run.id;
    expect(b.err).toContain('Rows: 2 changed · 0 failed · 0 unknown · 0 not sent · 1 left alone');

    const show = await cli(['runs', 'show', runId]);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain(
      'Rows: 2 changed · 0 failed · 0 unknown · 0 not sent · 1 left alone',
    );
    expect(show.out).toMatch(/unchanged\s+-\s+-\s+-\s+-\s+1/);
    expect(show.out).not.toMatch(/unchanged: 1 done/);
    expect(
      server.store.list('User').find((u) => u['userName'] === 'sam1@example.com')?.['title'],
    ).toBe('Lead');
  });
});
