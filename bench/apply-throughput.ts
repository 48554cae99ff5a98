/**
 * Apply throughput (issue #5): a plan of N creates (a generated HR CSV of new hires, planned
 * offline against an empty snapshot) applied with `applyPlan` against the deviation server
 * (test/servers/deviant-server.ts, in its own process via bench/lib/run-deviant-server.ts) with
 * `latency` ms added to every request. Each run gets a fresh, empty server and a fresh measuring
 * process, so its peak RSS is the client's own:
 *
 *   a. rate-limited — the server answers 429 + Retry-After above R requests/s, and the client's
 *                     `maxRequestsPerSecond` is R. Targets: ops/s ≥ 0.9 × R (Bulk: ≥ 0.9 × R ×
 *                     maxOperations) and ≤ 2 % of the requests answered 429 (counted server-side);
 *   b. unlimited    — ops/s against the latency floor (concurrency × ops per request ÷ latency) and
 *                     against a plain sequential client (one `conn.client.create` per plan row,
 *                     awaited in turn; run on the first `--seq-sample` rows, its rate is flat);
 *   c. bulk/singles — every variant with the server advertising Bulk (maxOperations `--bulk-max`)
 *                     or refusing it (SPC says unsupported, /Bulk answers 501).
 *
 * Wall time covers the `applyPlan` call (or the sequential loop) only, discovery excluded.
 * Concurrency 8 (the transport default) is passed to both the transport and `applyPlan`.
 *
 * Run: npx tsx bench/apply-throughput.ts [--quick] [--sizes 10000,100000] [--latency 20]
 *        [--rate 200] [--bulk-rate 10] [--bulk-max 100] [--seq-sample 1000] [--only a,b]
 *        [--large-singles]   (rate-limited singles above 10k: +~9 min at 100k, off by default)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeApplyFiles } from './lib/apply-data';
import type { DeviantServerStats } from './lib/run-deviant-server';

const CONCURRENCY = 8;
const TARGET_SHARE_OF_R = 0.9;
const TARGET_429_SHARE = 0.02;
const RSS_SAMPLE_MS = 50;
const RESULT_PREFIX = 'BENCH-RESULT ';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');

type Mode = 'bulk' | 'singles';
type Kind = 'apply' | 'sequential';

type RunSpec = {
  label: string;
  group: 'a' | 'b';
  kind: Kind;
  mode: Mode;
  /** Plan rows (creates). */
  ops: number;
  /** Rows actually sent (the sequential baseline runs on a sample). */
  sent: number;
  /** Requests per second allowed by the server and the client; 0 = no limit. */
  rate: number;
  latencyMs: number;
  bulkMax: number;
};

type WorkerInput = RunSpec & { url: string; token: string; planFile: string };

type RunResult = {
  done: number;
  failed: number;
  unknown: number;
  wallMs: number;
  peakRss: number;
  /** Kernel high-water mark (getrusage ru_maxrss), bytes. */
  maxRss: number;
  cpuMs: number;
  bulkEnabled: boolean;
  clientRequests: number;
  retries: number;
  throttled: number;
};

type Row = { spec: RunSpec; result?: RunResult; server?: DeviantServerStats; error?: string };

// ------------------------------------------------------------------------------------------------
// Worker: one run, in a fresh process.

async function runWorker(input: WorkerInput): Promise<RunResult> {
  const { openWithOptions } = await import('../engine/connections/open-connection');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  const dataDir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-apply-'));
  try {
    const conn = await openWithOptions(
      { id: 'bench', name: 'bench', bulk: input.mode === 'bulk' ? 'auto' : 'never' },
      {
        baseUrl: input.url,
        auth: { kind: 'bearer', token: input.token },
        maxConcurrency: CONCURRENCY,
        ...(input.rate > 0 ? { maxRequestsPerSecond: input.rate } : {}),
        userAgent: 'scim-porter-bench',
      },
    );
    try {
      const bulkEnabled = conn.discovery.effective.bulk.enabled;
      if (bulkEnabled !== (input.mode === 'bulk')) {
        throw new Error(`discovery says bulk ${String(bulkEnabled)}, the run needs ${input.mode}`);
      }
      const apply = input.kind === 'apply' ? await import('../engine/apply/apply-run') : undefined;
      const planFile = await import('../engine/plan/plan-file');
      const before = conn.http.stats();
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      let done = 0;
      let failed = 0;
      let unknown = 0;
      if (apply) {
        const result = await apply.applyPlan({
          conn,
          dataDir,
          planFile: input.planFile,
          target: { baseUrl: input.url },
          concurrency: CONCURRENCY,
        });
        const counts = result.run.counts['create'];
        done = counts?.done ?? 0;
        failed = result.failed;
        unknown = result.unknown;
      } else {
        const plan = await planFile.openPlan(input.planFile);
        try {
          for await (const row of plan.rows()) {
            if (done + failed >= input.sent) break;
            if (row.action !== 'create' || !row.create) continue;
            try {
              await conn.client.create(plan.header.endpoint, row.create);
              done += 1;
            } catch {
              failed += 1;
            }
          }
        } finally {
          plan.close();
        }
      }
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      const after = conn.http.stats();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return {
        done,
        failed,
        unknown,
        wallMs,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        cpuMs: (cpu.user + cpu.system) / 1000,
        bulkEnabled,
        clientRequests: after.requests - before.requests,
        retries: after.retries - before.retries,
        throttled: after.throttled - before.throttled,
      };
    } finally {
      await conn.close();
    }
  } finally {
    clearInterval(sampler);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// Orchestrator: plans, servers and workers as child processes, then the table.

function tsxChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

type ServerChild = {
  url: string;
  token: string;
  child: ChildProcess;
  lines: Interface;
  stats(): Promise<DeviantServerStats>;
};

async function nextLine(lines: Interface, child: ChildProcess, what: string): Promise<string> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${what} exited (${String(code)})`);
  });
  const line = new Promise<string>((resolve) => {
    const onLine = (l: string): void => {
      if (l.trim() === '') return;
      lines.off('line', onLine);
      resolve(l);
    };
    lines.on('line', onLine);
  });
  try {
    return await Promise.race([line, exited]);
  } finally {
    exited.catch(() => undefined);
  }
}

async function startServerChild(spec: RunSpec): Promise<ServerChild> {
  const child = tsxChild(join(here, 'lib', 'run-deviant-server.ts'), [
    '--latency',
    String(spec.latencyMs),
    '--rate',
    String(spec.rate),
    '--bulk-max',
    String(spec.mode === 'bulk' ? spec.bulkMax : 0),
  ]);
  if (!child.stdout) throw new Error('server: no stdout');
  const lines = createInterface({ input: child.stdout });
  const info = JSON.parse(await nextLine(lines, child, 'deviant server')) as {
    url: string;
    token: string;
  };
  return {
    ...info,
    child,
    lines,
    async stats() {
      const answer = nextLine(lines, child, 'deviant server');
      child.stdin?.write('stats\n');
      return JSON.parse(await answer) as DeviantServerStats;
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function runInWorker(input: WorkerInput): Promise<RunResult> {
  const child = tsxChild(fileURLToPath(import.meta.url), ['--worker', JSON.stringify(input)]);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.stdin?.end();
  let result: RunResult | undefined;
  let errorText = '';
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith(RESULT_PREFIX)) {
      const parsed = JSON.parse(line.slice(RESULT_PREFIX.length)) as
        { ok: true; result: RunResult } | { ok: false; error: string };
      if (parsed.ok) result = parsed.result;
      else errorText = parsed.error;
    }
  }
  const [code, signal] = await exited;
  if (result) return result;
  throw new Error(errorText || `worker exited with ${signal ?? `code ${String(code)}`}`);
}

async function makePlan(dir: string, n: number): Promise<string> {
  const { buildPlan } = await import('../engine/plan/planner');
  const { parseMappingSpec } = await import('../shared/mapping/spec');
  const files = await writeApplyFiles(dir, n);
  const mapping = parseMappingSpec(
    JSON.parse(await readFile(files.mapping, 'utf8')),
    files.mapping,
  );
  const outFile = join(dir, 'plan.jsonl');
  const result = await buildPlan({
    csvFile: files.csv,
    mapping,
    outFile,
    source: { kind: 'snapshot', file: files.snapshot },
  });
  const creates = result.summary.counts['create'] ?? 0;
  if (creates !== n) throw new Error(`the plan has ${creates} creates, expected ${n}`);
  return outFile;
}

// ------------------------------------------------------------------------------------------------
// Figures.

const opsPerRequest = (spec: RunSpec): number => (spec.mode === 'bulk' ? spec.bulkMax : 1);

/** Ops/s latency allows: requests in flight × ops per request ÷ latency (1 in flight sequentially). */
function floorOpsPerSecond(spec: RunSpec): number {
  const inFlight = spec.kind === 'sequential' ? 1 : CONCURRENCY;
  return (inFlight * opsPerRequest(spec) * 1000) / spec.latencyMs;
}

type Figures = {
  opsPerSecond: number;
  /** ops/s ÷ (R × ops per request) for rate-limited runs, ops/s ÷ floor otherwise. */
  ratio: number;
  share429: number | undefined;
  verdict: string;
};

function figures(row: Row): Figures | undefined {
  const { spec, result, server } = row;
  if (!result) return undefined;
  const opsPerSecond = result.done / (result.wallMs / 1000);
  const share429 =
    server && server.requests > 0 ? (server.byStatus['429'] ?? 0) / server.requests : undefined;
  const complete = result.done === spec.sent && result.failed === 0 && result.unknown === 0;
  if (spec.rate > 0) {
    const ratio = opsPerSecond / (spec.rate * opsPerRequest(spec));
    const met =
      complete &&
      ratio >= TARGET_SHARE_OF_R &&
      share429 !== undefined &&
      share429 <= TARGET_429_SHARE;
    return { opsPerSecond, ratio, share429, verdict: met ? 'met' : 'MISSED' };
  }
  const ratio = opsPerSecond / floorOpsPerSecond(spec);
  return { opsPerSecond, ratio, share429, verdict: complete ? '—' : 'INCOMPLETE' };
}

const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;

function table(rows: Row[], o: { latencyMs: number; bulkMax: number; seqSample: number }): string {
  let seqRate: number | undefined;
  for (const r of rows) {
    const f = figures(r);
    if (r.spec.kind === 'sequential' && f) seqRate = f.opsPerSecond;
  }
  const cols: [string, number][] = [
    ['run', 24],
    ['ops', 9],
    ['mode', 9],
    ['R', 6],
    ['wall s', 9],
    ['ops/s', 9],
    ['÷R', 7],
    ['÷floor', 8],
    ['×seq', 8],
    ['429 share', 10],
    ['peak RSS', 10],
    ['maxRSS', 9],
    ['target', 11],
  ];
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const w = (cols[i] as [string, number])[1];
        return i === 0 ? c.padEnd(w) : c.padStart(w);
      })
      .join('');
  const head = fmt(cols.map(([h]) => h));
  const lines = [
    `Apply throughput — latency ${o.latencyMs} ms per request, concurrency ${CONCURRENCY}, Bulk maxOperations ${o.bulkMax} when advertised, applyPlan batch 100 rows (default)`,
    head,
    '-'.repeat(head.length),
  ];
  for (const row of rows) {
    const { spec, result, error } = row;
    const start = [
      spec.label,
      spec.ops.toLocaleString('en'),
      spec.kind === 'sequential' ? 'seq' : spec.mode,
      spec.rate > 0 ? String(spec.rate) : '—',
    ];
    const f = figures(row);
    if (!result || !f) {
      lines.push(`${fmt(start)}   failed: ${error ?? 'unknown error'}`);
      continue;
    }
    const seq = seqRate;
    lines.push(
      fmt([
        ...start,
        (result.wallMs / 1000).toFixed(1),
        f.opsPerSecond.toFixed(0),
        spec.rate > 0 ? f.ratio.toFixed(2) : '—',
        spec.rate > 0 ? '—' : f.ratio.toFixed(2),
        spec.kind === 'apply' && seq !== undefined ? `${(f.opsPerSecond / seq).toFixed(1)}×` : '—',
        f.share429 !== undefined ? `${(f.share429 * 100).toFixed(2)} %` : '—',
        mib(result.peakRss),
        mib(result.maxRss),
        f.verdict,
      ]),
    );
  }
  const diag: [string, number][] = [
    ['run', 24],
    ['sent', 9],
    ['done', 9],
    ['failed', 8],
    ['unknown', 8],
    ['srv reqs', 10],
    ['srv 429', 9],
    ['bulk reqs', 10],
    ['retries', 9],
    ['client CPU s', 13],
  ];
  const dfmt = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const w = (diag[i] as [string, number])[1];
        return i === 0 ? c.padEnd(w) : c.padStart(w);
      })
      .join('');
  const dhead = dfmt(diag.map(([h]) => h));
  lines.push('', dhead, '-'.repeat(dhead.length));
  for (const { spec, result, server } of rows) {
    if (!result) continue;
    lines.push(
      dfmt([
        spec.label,
        String(spec.sent),
        String(result.done),
        String(result.failed),
        String(result.unknown),
        server ? String(server.requests) : '—',
        server ? String(server.byStatus['429'] ?? 0) : '—',
        server ? String(server.bulkRequests) : '—',
        String(result.retries),
        (result.cpuMs / 1000).toFixed(1),
      ]),
    );
  }
  lines.push(
    '',
    `targets (a, rate-limited rows): ÷R ≥ ${TARGET_SHARE_OF_R} and 429 share ≤ ${TARGET_429_SHARE * 100} %; (b) rows report their ratios, no target`,
    `÷R = ops/s ÷ (R × ops per request): R for singles, R × ${o.bulkMax} for Bulk (ops/s Bulk's request budget allows)`,
    `÷floor = ops/s ÷ (${CONCURRENCY} × ops per request ÷ latency); the sequential client's floor is 1 ÷ latency`,
    `×seq = ops/s ÷ the sequential client's ops/s (one awaited conn.client.create per row, first ${o.seqSample.toLocaleString('en')} rows of the smallest plan; its rate is flat in n)`,
    '429 share = 429 answers ÷ all answers, counted by the server (discovery included)',
    'peak RSS = max of process.memoryUsage().rss sampled every 50 ms in a fresh process per run; maxRSS = getrusage high-water mark',
  );
  return lines.join('\n');
}

function specs(o: {
  sizes: number[];
  quick: boolean;
  latencyMs: number;
  rate: number;
  bulkRate: number;
  bulkMax: number;
  seqSample: number;
  largeSingles: boolean;
  only: Set<string>;
}): RunSpec[] {
  const out: RunSpec[] = [];
  const base = { latencyMs: o.latencyMs, bulkMax: o.bulkMax };
  const k = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));
  const smallest = Math.min(...o.sizes);
  for (const n of o.sizes) {
    // Rate-limited singles above 10k take n ÷ R seconds (500 s at 100k, R = 200): only with
    // --large-singles, to keep the default run near 10 minutes.
    const limitedSingles = n <= 10_000 || o.largeSingles;
    const run = (group: 'a' | 'b', kind: Kind, mode: Mode, rate: number, what: string): void => {
      out.push({
        ...base,
        label: `${group}. ${what} ${k(n)}`,
        group,
        kind,
        mode,
        ops: n,
        sent: kind === 'sequential' ? Math.min(n, o.seqSample) : n,
        rate,
      });
    };
    if (o.only.has('a')) {
      if (limitedSingles) run('a', 'apply', 'singles', o.rate, `singles R`);
      if (!o.quick) run('a', 'apply', 'bulk', o.bulkRate, `bulk R`);
    }
    if (o.only.has('b')) {
      // The sequential client's rate is flat in n: measured once, on a sample of the smallest plan.
      if (n === smallest) run('b', 'sequential', 'singles', 0, 'sequential');
      run('b', 'apply', 'singles', 0, 'singles');
      run('b', 'apply', 'bulk', 0, 'bulk');
    }
  }
  return out;
}

function intOption(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      sizes: { type: 'string' },
      latency: { type: 'string' },
      rate: { type: 'string' },
      'bulk-rate': { type: 'string' },
      'bulk-max': { type: 'string' },
      'seq-sample': { type: 'string' },
      only: { type: 'string' },
      'large-singles': { type: 'boolean' },
      worker: { type: 'string' },
    },
    strict: true,
  });
  if (values.worker !== undefined) {
    const input = JSON.parse(values.worker) as WorkerInput;
    try {
      const result = await runWorker(input);
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: true, result })}\n`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: false, error })}\n`);
    }
    return;
  }
  const quick = values.quick === true;
  const sizes = (values.sizes ?? (quick ? '10000' : '10000,100000'))
    .split(',')
    .map((s) => intOption(s, 0, 'sizes'));
  const latencyMs = intOption(values.latency, 20, 'latency');
  const bulkMax = intOption(values['bulk-max'], 100, 'bulk-max');
  const seqSample = intOption(values['seq-sample'], 1000, 'seq-sample');
  const opts = {
    sizes,
    quick,
    latencyMs,
    rate: intOption(values.rate, 200, 'rate'),
    bulkRate: intOption(values['bulk-rate'], 10, 'bulk-rate'),
    bulkMax,
    seqSample,
    largeSingles: values['large-singles'] === true,
    only: new Set((values.only ?? 'a,b').split(',')),
  };
  const all = specs(opts);
  const rows: Row[] = [];
  const t0 = performance.now();
  for (const n of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-apply-plan-'));
    try {
      process.stderr.write(`planning ${n.toLocaleString('en')} creates…\n`);
      const planFile = await makePlan(dir, n);
      for (const spec of all.filter((s) => s.ops === n)) {
        process.stderr.write(`${spec.label}…\n`);
        const row: Row = { spec };
        const server = await startServerChild(spec);
        try {
          row.result = await runInWorker({
            ...spec,
            url: server.url,
            token: server.token,
            planFile,
          });
          row.server = await server.stats();
          if (row.server.users !== row.result.done) {
            row.error = `server holds ${row.server.users} users, the client counted ${row.result.done}`;
          }
        } catch (e) {
          row.error = e instanceof Error ? e.message : String(e);
        } finally {
          await stopChild(server.child);
        }
        if (row.error) process.stderr.write(`  ${row.error}\n`);
        rows.push(row);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${table(rows, { latencyMs, bulkMax, seqSample })}\n`);
  process.stdout.write(`total ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
