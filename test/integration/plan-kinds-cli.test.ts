/**
 * Every plan kind end to end through the CLI (`scim-porter plan`, `apply`, `runs undo`, run in
 * process with the real engine) against a sandbox on loopback: the counts of `plan --json`, the
 * sentences it prints, and what the server holds after `apply` — plus an HR file whose
 * terminated employees are active on the server, blocked above the safeguard until the count is
 * typed back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { PlanFileSummary } from '../../shared/plan/plan-format';
import {
  accounts,
  expectCounts,
  PROTECT,
  SCENARIOS,
  seedKinds,
  terminations,
  TERMINATIONS_MAPPING,
  UNDO,
} from '../harness/kind-scenarios';
import { HR_MAPPING } from '../harness/plan-fixtures';

let dir: string;
let server: SandboxHandle;

type Run = { code: number; out: string; err: string };

async function cli(args: string[], target: SandboxHandle = server): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (l) => (out += `${l}\n`),
    err: (l) => (err += `${l}\n`),
    progress: () => undefined,
    interactive: false,
    env: { SCIM_TOKEN: target.token },
    cwd: dir,
  };
  const code = await runCli([...args, '--url', target.url, '--data-dir', join(dir, 'data')], io);
  return { code, out, err };
}

async function plan(
  name: string,
  csv: string,
  extra: string[] = [],
  target?: SandboxHandle,
): Promise<{ run: Run; summary: PlanFileSummary; file: string }> {
  const csvFile = join(dir, `${name}.csv`);
  await writeFile(csvFile, csv);
  const file = join(dir, `${name}.plan.jsonl`);
  const run = await cli(
    ['plan', '--csv', csvFile, '--mapping', 'mapping.json', '--out', file, '--json', ...extra],
    target,
  );
  expect([0, 3], run.err).toContain(run.code);
  return { run, summary: JSON.parse(run.out) as PlanFileSummary, file };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-kinds-cli-'));
  server = await startSandbox({ port: 0, seed: 0 });
  seedKinds(server);
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(HR_MAPPING));
  await writeFile(join(dir, 'protect.txt'), `${PROTECT.join('\n')}\n`);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('every kind through the CLI', () => {
  let lastRun = '';
  for (const [i, s] of SCENARIOS.entries()) {
    it(s.name, async () => {
      const extra = [
        ...(s.mode !== 'upsert' ? ['--mode', s.mode] : []),
        ...(s.protect ? ['--protect', 'protect.txt'] : []),
      ];
      const { run, summary, file } = await plan(`s${i}`, s.csv, extra);
      expectCounts(summary.counts, s.counts, s.name);
      for (const words of s.words) expect(run.err).toContain(words);
      const applied = await cli(['apply', file, '--yes', '--json']);
      expect(applied.code, applied.err).toBe(0);
      lastRun = (JSON.parse(applied.out) as { run: { id: string } }).run.id;
      s.after(server);
    });
  }

  it('undo: the deactivations of the last run come back as reactivations', async () => {
    const undoFile = join(dir, 'undo.plan.jsonl');
    const made = await cli(['runs', 'undo', lastRun, '--out', undoFile]);
    expect(made.code, made.err).toBe(0);
    for (const words of UNDO.words) expect(made.err).toContain(words);
    const applied = await cli(['apply', undoFile, '--yes']);
    expect(applied.code, applied.err).toBe(0);
    UNDO.after(server);
  });
});

describe('an HR file whose terminated employees are active on the server', () => {
  it('counts them as deactivations and blocks above the threshold until the count is typed back', async () => {
    const hr = await startSandbox({ port: 0, seed: 0 });
    try {
      const names = Array.from({ length: 30 }, (_, i) => `hr${i}@example.com`);
      for (const userName of names) {
        hr.store.create('User', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName,
          active: true,
        });
      }
      await writeFile(join(dir, 'terminations.json'), JSON.stringify(TERMINATIONS_MAPPING));
      const csvFile = join(dir, 'terminations.csv');
      await writeFile(csvFile, terminations(names));
      const file = join(dir, 'terminations.plan.jsonl');
      const planned = await cli(
        ['plan', '--csv', csvFile, '--mapping', 'terminations.json', '--out', file, '--json'],
        hr,
      );
      expect(planned.code).toBe(3);
      const summary = JSON.parse(planned.out) as PlanFileSummary;
      expect(summary.counts).toMatchObject({ deactivate: 12, update: 0, unchanged: 18 });
      expect(summary.safeguards).toMatchObject({ blocked: true, overrideCount: 12 });
      expect(planned.err).toContain('12 people will lose access (deactivate)');
      expect(planned.err).toContain('Applying needs --override-safeguards 12');

      const refused = await cli(['apply', file, '--yes'], hr);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('The plan exceeds a safeguard. The plan deactivates 12 of 30');
      const wrong = await cli(['apply', file, '--yes', '--override-safeguards', '11'], hr);
      expect(wrong.code).toBe(1);
      expect([...accounts(hr).values()].every((a) => a.active === true)).toBe(true);

      const done = await cli(['apply', file, '--yes', '--override-safeguards', '12'], hr);
      expect(done.code, done.err).toBe(0);
      const after = accounts(hr);
      names.forEach((n, i) => {
        expect(after.get(n)?.active, n).toBe(i >= 12);
      });
    } finally {
      await hr.close();
    }
  });
});
