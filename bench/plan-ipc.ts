/**
 * A plan in the app against the same plan on the command line (issue 18 part 3): an HR CSV of
 * N + 2 % rows (bench/lib/synthetic-hr.ts) planned against a synthetic SCIM server of N users (its
 * own process, no added latency, pages of 1000), with the default lookup (the server read once in
 * full), two ways:
 *
 *   cli — `runCliInProcess(['plan', '--csv', …, '--url', …])`, the function bin/scim-porter.mjs
 *         calls, timed around the call in a fresh process;
 *   app — `plan:start` through the engine host into the engine process (forked from source, as the
 *         e2e harness does: test/harness/engine-process.ts), timed from plan:start to job:finished.
 *
 * Each is run `--rounds` times, alternating, every run a fresh process; the figure is each side's
 * fastest run (the machine is shared: the fastest is the least disturbed). Target: app ≤ 1.5 × CLI.
 *
 * Run: npx tsx bench/plan-ipc.ts [--users 100000] [--rounds 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Result } from '../shared/util/result';
import { writeSyntheticHrFiles, type SyntheticHrFiles } from './lib/synthetic-hr';

const here = dirname(fileURLToPath(import.meta.url));
const RESULT = 'BENCH-RESULT ';
const TARGET = 1.5;
const SIDES = ['cli', 'app'] as const;
type Side = (typeof SIDES)[number];
type Server = { url: string; token: string };
type Measure = { planMs: number; cpuMs: number; rows: number };

function value(result: Result<unknown>, what: string): unknown {
  if (!result.ok) throw new Error(`${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

async function viaCli(files: SyntheticHrFiles, server: Server, dir: string): Promise<Measure> {
  const { runCliInProcess } = await import('../cli/main');
  process.env['SCIM_TOKEN'] = server.token;
  const out = join(dir, 'plan.jsonl');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Its own data folder, so the snapshot the CLI saves lands in the bench's temporary folder.
  const code = await runCliInProcess([
    '--data-dir',
    join(dir, 'data'),
    'plan',
    '--csv',
    files.csv,
    '--mapping',
    files.mapping,
    '--url',
    server.url,
    '--out',
    out,
    '--json',
  ]);
  const planMs = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(cpu0));
  if (code !== 0 && code !== 3) throw new Error(`scim-porter plan exited ${code}`);
  const { openPlan } = await import('../engine/plan/plan-file');
  const plan = await openPlan(out);
  const rows = plan.count;
  plan.close();
  return { planMs, cpuMs: cpu, rows };
}

async function viaApp(files: SyntheticHrFiles, server: Server, dir: string): Promise<Measure> {
  const { startEngineHost } = await import('../engine/host/engine-host');
  const { forkSourceEngine } = await import('../test/harness/engine-process');
  const { NO_DESKTOP } = await import('../engine/ports');
  const { createMemorySecretStore } = await import('../engine/secrets/memory-secret-store');
  const finished = new Map<string, { status: string; outcome?: { planId?: string } }>();
  const host = startEngineHost({
    spawn: () => forkSourceEngine(),
    start: { dataDir: dir, fileAccess: 'any', sandbox: { enabled: false } },
    ports: { desktop: NO_DESKTOP, secrets: createMemorySecretStore() },
    emit: (event, payload) => {
      const p = payload as { jobId?: string; status: string };
      if (event === 'job:finished' && p.jobId) finished.set(p.jobId, p);
    },
  });
  try {
    await host.ready();
    const conn = value(
      await host.dispatch('connections:save', {
        settings: { name: 'Synthetic', baseUrl: server.url, auth: { kind: 'bearer' } },
        secret: server.token,
      }),
      'connections:save',
    ) as { id: string };
    const mapping: unknown = JSON.parse(await readFile(files.mapping, 'utf8'));
    const t0 = performance.now();
    const { jobId } = value(
      await host.dispatch('plan:start', { connectionId: conn.id, csvPath: files.csv, mapping }),
      'plan:start',
    ) as { jobId: string };
    while (!finished.has(jobId)) await new Promise((r) => setTimeout(r, 10));
    const planMs = performance.now() - t0;
    const done = finished.get(jobId);
    if (done?.status !== 'done') throw new Error(`the plan failed: ${JSON.stringify(done)}`);
    const info = value(
      await host.dispatch('plan:info', { planId: done.outcome?.planId ?? '' }),
      'plan:info',
    ) as { rows: number };
    // The engine process's CPU is not this process's: left out (—) rather than guessed.
    return { planMs, cpuMs: Number.NaN, rows: info.rows };
  } finally {
    await host.dispose();
  }
}

async function worker(side: Side, files: SyntheticHrFiles, server: Server): Promise<Measure> {
  const dir = await mkdtemp(join(tmpdir(), `scim-porter-bench-plan-${side}-`));
  try {
    return side === 'cli' ? await viaCli(files, server, dir) : await viaApp(files, server, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function tsxChild(args: string[], stdin: 'ignore' | 'pipe', script: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: [stdin, 'pipe', 'inherit'],
  });
}

async function firstLine(child: ChildProcess, prefix = ''): Promise<string> {
  if (!child.stdout) throw new Error('no stdout');
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith(prefix) && line.trim() !== '') return line.slice(prefix.length);
  }
  throw new Error(`the child exited (${String(child.exitCode)}) without a result`);
}

async function runWorker(side: Side, files: SyntheticHrFiles, server: Server): Promise<Measure> {
  const child = tsxChild(
    ['--worker', side, '--files', JSON.stringify(files), '--server', JSON.stringify(server)],
    'ignore',
    fileURLToPath(import.meta.url),
  );
  return JSON.parse(await firstLine(child, RESULT)) as Measure;
}

function printTable(users: number, runs: [Side, Measure][]): void {
  const best = (side: Side): Measure | undefined =>
    runs.filter(([s]) => s === side).sort((a, b) => a[1].planMs - b[1].planMs)[0]?.[1];
  const cli = best('cli');
  const app = best('app');
  console.log(
    `A plan of ${users.toLocaleString('en-US')} server users (HR CSV of ${cli?.rows.toLocaleString('en-US') ?? '?'} rows, default lookup): app (IPC router → engine process) vs CLI`,
  );
  const head = ['run', 'side', 'plan s', 'CPU s', 'rows'];
  const rows = runs.map(([side, m], i) => [
    String(i + 1),
    side,
    (m.planMs / 1000).toFixed(2),
    Number.isFinite(m.cpuMs) ? (m.cpuMs / 1000).toFixed(2) : '—',
    m.rows.toLocaleString('en-US'),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(fmt(head));
  console.log('-'.repeat(fmt(head).length));
  for (const r of rows) console.log(fmt(r));
  if (cli && app) {
    const ratio = app.planMs / cli.planMs;
    console.log('');
    console.log(['target', 'measured', 'goal', 'verdict'].join('  |  '));
    console.log(
      [
        'app plan ÷ CLI plan (fastest of each)',
        `${(app.planMs / 1000).toFixed(2)} ÷ ${(cli.planMs / 1000).toFixed(2)} s = ${ratio.toFixed(2)}×`,
        `≤ ${TARGET}×`,
        ratio <= TARGET && app.rows === cli.rows ? 'met' : 'MISSED',
      ].join('  |  '),
    );
  }
  console.log(
    'cli: runCliInProcess(plan …) in a fresh process, timed around the call (process start and module load excluded)',
  );
  console.log(
    'app: plan:start → job:finished through the engine host (engine process started before the clock); CPU is in the engine process (not shown)',
  );
  console.log(
    `load average at the end (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      rounds: { type: 'string' },
      worker: { type: 'string' },
      files: { type: 'string' },
      server: { type: 'string' },
    },
  });
  if (values.worker) {
    const m = await worker(
      values.worker as Side,
      JSON.parse(values.files ?? '{}') as SyntheticHrFiles,
      JSON.parse(values.server ?? '{}') as Server,
    );
    process.stdout.write(`${RESULT}${JSON.stringify(m)}\n`);
    process.exit(0);
  }
  const users = Number(values.users ?? 100_000);
  const rounds = Math.max(1, Number(values.rounds ?? 2));
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-plan-ipc-'));
  process.stderr.write(`generating the HR CSV for ${users.toLocaleString('en-US')} users…\n`);
  const files = await writeSyntheticHrFiles(dir, users);
  const serverChild = tsxChild(
    ['--users', String(users), '--latency', '0', '--page-cap', '1000', '--groups', '0'],
    'pipe',
    join(here, 'lib', 'run-synthetic-server.ts'),
  );
  try {
    const server = JSON.parse(await firstLine(serverChild)) as Server;
    const runs: [Side, Measure][] = [];
    for (let r = 0; r < rounds; r++) {
      for (const side of SIDES) {
        process.stderr.write(`round ${r + 1}: ${side}…\n`);
        runs.push([side, await runWorker(side, files, server)]);
      }
    }
    printTable(users, runs);
  } finally {
    serverChild.stdin?.end();
    if (serverChild.exitCode === null) await once(serverChild, 'exit');
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
