/**
 * The CLI writes to a connection labelled production only with `--confirm-production NAME` —
 * the app's typed name on Confirm, the same rule (engine/use-cases/production.ts): apply, runs
 * resume and the apply of an undo plan are refused before anything is sent, `--yes` or not.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../harness/cli-in-process';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { HR_HEADER, HR_MAPPING } from '../harness/plan-fixtures';

let dir: string;
let server: SandboxHandle;

type Run = CliRun;

function cli(args: string[]): Promise<Run> {
  return runCliCaptured([...args, '--data-dir', join(dir, 'data')], {
    env: { SCIM_TOKEN: server.token },
    cwd: dir,
  });
}

function onServer(userName: string): boolean {
  return server.store.list('User').some((u) => u['userName'] === userName);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-cli-prod-'));
  server = await startSandbox({ port: 0, seed: 0 });
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(HR_MAPPING));
  const add = await cli([
    'connections',
    'add',
    'Acme prod',
    '--url',
    server.url,
    '--environment',
    'production',
  ]);
  expect(add.code, add.err).toBe(0);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const PROD = ['--connection', 'Acme prod'];

describe('a production connection in the CLI', () => {
  it('apply, runs resume and an undo plan need --confirm-production NAME', async () => {
    await writeFile(
      join(dir, 'in.csv'),
      `${HR_HEADER}P1,Pia,Prod,pia-1@example.com,Staff,Active,,\nP2,Pia,Prod,pia-2@example.com,Staff,Active,,\n`,
    );
    const p = await cli([
      'plan',
      '--csv',
      'in.csv',
      '--mapping',
      'mapping.json',
      '--out',
      'p.jsonl',
      ...PROD,
    ]);
    expect(p.code, p.err).toBe(0);

    for (const extra of [[], ['--confirm-production', 'Acme']]) {
      const refused = await cli(['apply', 'p.jsonl', '--yes', ...PROD, ...extra]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(
        '"Acme prod" is a production connection: pass --confirm-production "Acme prod" to write to it.',
      );
    }
    expect(onServer('pia-1@example.com')).toBe(false);

    const canary = await cli([
      'apply',
      'p.jsonl',
      '--yes',
      '--canary',
      '1',
      '--batch-size',
      '1',
      '--json',
      ...PROD,
      '--confirm-production',
      'Acme prod',
    ]);
    expect(canary.code, canary.err).toBe(3);
    const runId = (JSON.parse(canary.out) as { run: { id: string } }).run.id;
    expect(onServer('pia-1@example.com')).toBe(true);
    expect(onServer('pia-2@example.com')).toBe(false);

    const noResume = await cli(['runs', 'resume', runId, '--yes', ...PROD]);
    expect(noResume.code).toBe(1);
    expect(noResume.err).toContain('is a production connection');
    expect(onServer('pia-2@example.com')).toBe(false);
    const resumed = await cli([
      'runs',
      'resume',
      runId,
      '--yes',
      ...PROD,
      '--confirm-production',
      'Acme prod',
    ]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(onServer('pia-2@example.com')).toBe(true);

    // Making the undo plan only reads; applying it writes, and needs the name.
    const undo = await cli(['runs', 'undo', runId, '--out', 'undo.jsonl', ...PROD]);
    expect(undo.code, undo.err).toBe(0);
    const noUndo = await cli(['apply', 'undo.jsonl', '--yes', ...PROD]);
    expect(noUndo.code).toBe(1);
    expect(onServer('pia-1@example.com')).toBe(true);
    const undone = await cli([
      'apply',
      'undo.jsonl',
      '--yes',
      ...PROD,
      '--confirm-production',
      ' Acme prod ',
    ]);
    expect(undone.code, undone.err).toBe(0);
    expect(onServer('pia-1@example.com')).toBe(false);
  });
});
