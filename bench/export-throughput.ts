/**
 * Export throughput against a server with injected latency (docs/server-behaviour.md, A5 and A6).
 *
 * A synthetic SCIM server (bench/lib/synthetic-scim-server.ts, in its own process) generates N users
 * and answers every request after `latency` ms with pages capped at `pageCap`. Each run below starts
 * a fresh measuring process, so its peak RSS is the client's own:
 *
 *   a. sequential  — `client.list('/Users', { paging: 'index', pageSize })`, each resource
 *                    JSON.stringify'd to a file stream: the plain sequential pager (baseline);
 *   b. exporter    — `exportResources` over index paging (CSV and JSON Lines);
 *   c. exporter    — `exportResources` over cursor paging (a cursor-only server, like AWS).
 *
 * Floor = the least wall time latency allows: index pages × latency ÷ concurrency (pages can be
 * fetched in parallel), cursor pages × latency (each page needs the previous page's cursor; also the
 * sequential baseline). Target: an exporter run within 1.25× of its floor. Wall time covers the
 * export call only (discovery excluded). Concurrency is the transport's default, 8.
 *
 * Run: npx tsx bench/export-throughput.ts [--quick] [--no-large] [--latency 20] [--page-cap 100]
 *                                         [--users 100000] [--large-users 1000000] [--only a,b,c]
 *                                         [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` writes a V8 CPU profile of each run's export call (the client process only, the
 * same window as the CPU column) to DIR/<run label>.cpuprofile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { openWithOptions, type OpenConnection } from '../engine/connections/open-connection';
import type { ExportOptions } from '../engine/export/exporter';
import {
  STATS_PATH,
  type PagingModeOption,
  type SyntheticServerStats,
} from './lib/synthetic-scim-server';

/** In-flight requests: the transport's default `maxConcurrency`, passed explicitly to both layers. */
const CONCURRENCY = 8;
const TARGET_RATIO = 1.25;
/**
 * Client CPU per exported user (issue 18 part 3): half of what the issue measured before — 45 µs
 * for JSON Lines, about 100 µs for CSV.
 */
const TARGET_CPU_US: Record<Format, number> = { jsonl: 45 / 2, csv: 100 / 2 };
const RSS_SAMPLE_MS = 50;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');

type Kind = 'sequential' | 'exporter';
type Format = 'jsonl' | 'csv';

type RunSpec = {
  label: string;
  kind: Kind;
  format: Format;
  serverMode: PagingModeOption;
  /** The paging discovery must choose (a wrong choice would make the figures meaningless). */
  paging: 'index' | 'cursor';
  users: number;
  latencyMs: number;
  pageCap: number;
};

/** `cpuProfDir`: write a V8 CPU profile of the export call (only) into this folder. */
type WorkerInput = RunSpec & { url: string; token: string; cpuProfDir?: string };

type RunResult = {
  exported: number;
  pages: number;
  wallMs: number;
  openMs: number;
  peakRss: number;
  /** Kernel high-water mark (getrusage ru_maxrss), bytes: catches peaks between samples. */
  maxRss: number;
  startRss: number;
  /** CPU time of the measuring process during the export call (user + system), ms. */
  cpuMs: number;
  retries: number;
  duplicatesDropped: number;
  bytes: number;
  warnings: string[];
};

/** What the server saw during one run (discovery included). */
type ServerSide = { requests: number; peakInFlight: number; cpuMs: number };

type Row = { spec: RunSpec; result?: RunResult; server?: ServerSide; error?: string };

// ------------------------------------------------------------------------------------------------
// Worker: one run, in a fresh process.

async function sequentialExport(
  conn: OpenConnection,
  outFile: string,
  pageSize: number,
): Promise<{ exported: number; pages: number; duplicatesDropped: number }> {
  const out = createWriteStream(outFile);
  const list = conn.client.list('/Users', { pageSize, paging: 'index' });
  let exported = 0;
  for await (const resource of list) {
    if (!out.write(`${JSON.stringify(resource)}\n`)) await once(out, 'drain');
    exported += 1;
  }
  out.end();
  await once(out, 'finish');
  return { exported, pages: list.stats.pages, duplicatesDropped: list.stats.duplicatesDropped };
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(profile));
  session.disconnect();
}

async function runWorker(input: WorkerInput): Promise<RunResult> {
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const sampler = setInterval(() => {
    // rss() alone: the full memoryUsage() walks the heap spaces, CPU the run would be charged for.
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-export-'));
  const outFile = join(dir, `users.${input.format}`);
  try {
    const t0 = performance.now();
    const conn = await openWithOptions(
      { id: 'bench', name: 'bench', bulk: 'never' },
      {
        baseUrl: input.url,
        auth: { kind: 'bearer', token: input.token },
        maxConcurrency: CONCURRENCY,
        userAgent: 'scim-porter-bench',
      },
    );
    const openMs = performance.now() - t0;
    try {
      const chosen = conn.discovery.effective.paging;
      if (input.kind === 'exporter' && chosen !== input.paging) {
        throw new Error(`discovery chose ${chosen} paging, the run needs ${input.paging}`);
      }
      // Imported before the clock starts, and only for exporter runs, so the sequential baseline
      // runs even while the exporter is being written.
      const exporter =
        input.kind === 'exporter' ? await import('../engine/export/exporter') : undefined;
      const profiler = input.cpuProfDir ? await startProfiler() : undefined;
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      let outcome: {
        exported: number;
        pages: number;
        duplicatesDropped: number;
        retries?: number;
        warnings?: string[];
      };
      if (!exporter) {
        outcome = await sequentialExport(conn, outFile, input.pageCap);
      } else {
        const opts: ExportOptions = {
          resourceType: 'Users',
          format: input.format,
          outFile,
          concurrency: CONCURRENCY,
        };
        outcome = await exporter.exportResources(conn, opts);
      }
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      if (profiler && input.cpuProfDir) {
        await stopProfiler(
          profiler,
          join(input.cpuProfDir, `${input.label.replaceAll(' ', '-')}.cpuprofile`),
        );
      }
      if (outcome.exported !== input.users) {
        throw new Error(`exported ${outcome.exported} users, the server has ${input.users}`);
      }
      const bytes = (await stat(outFile)).size;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return {
        exported: outcome.exported,
        pages: outcome.pages,
        wallMs,
        openMs,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        startRss,
        cpuMs: (cpu.user + cpu.system) / 1000,
        retries: outcome.retries ?? conn.http.stats().retries,
        duplicatesDropped: outcome.duplicatesDropped,
        bytes,
        warnings: outcome.warnings ?? [],
      };
    } finally {
      await conn.close();
    }
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// Orchestrator: servers and workers as child processes, then the table.

const RESULT_PREFIX = 'BENCH-RESULT ';

type ServerChild = { url: string; token: string; child: ChildProcess };

function tsxChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

async function firstLine(child: ChildProcess, what: string): Promise<string> {
  if (!child.stdout) throw new Error(`${what}: no stdout`);
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${what} exited (${String(code)}) before it was ready`);
  });
  const line = (async () => {
    for await (const l of lines) if (l.trim() !== '') return l;
    throw new Error(`${what}: stdout closed`);
  })();
  try {
    return await Promise.race([line, exited]);
  } finally {
    exited.catch(() => undefined);
  }
}

async function startServerChild(
  users: number,
  latencyMs: number,
  pageCap: number,
  mode: PagingModeOption,
): Promise<ServerChild> {
  const child = tsxChild(join(here, 'lib', 'run-synthetic-server.ts'), [
    '--users',
    String(users),
    '--latency',
    String(latencyMs),
    '--page-cap',
    String(pageCap),
    '--mode',
    mode,
  ]);
  const info = JSON.parse(await firstLine(child, 'synthetic server')) as {
    url: string;
    token: string;
  };
  return { url: info.url, token: info.token, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

type StatsAnswer = SyntheticServerStats & { cpu: { user: number; system: number } };

async function serverStats(server: ServerChild): Promise<StatsAnswer> {
  const res = await fetch(new URL(STATS_PATH, server.url), {
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (!res.ok) throw new Error(`server stats: HTTP ${res.status}`);
  return (await res.json()) as StatsAnswer;
}

function serverSide(before: StatsAnswer, after: StatsAnswer): ServerSide {
  return {
    requests: after.requests - before.requests,
    peakInFlight: after.peakInFlight,
    cpuMs: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000,
  };
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

function pagesFor(users: number, pageCap: number): number {
  return Math.ceil(users / pageCap);
}

/** Least wall time latency allows, in ms. */
function floorMs(spec: RunSpec): number {
  const pages = pagesFor(spec.users, spec.pageCap);
  const parallel = spec.kind === 'exporter' && spec.paging === 'index' ? CONCURRENCY : 1;
  return (pages * spec.latencyMs) / parallel;
}

const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

function table(rows: Row[], latencyMs: number, pageCap: number): string {
  const baseline = new Map<number, number>();
  for (const r of rows) {
    if (r.spec.kind === 'sequential' && r.result) baseline.set(r.spec.users, r.result.wallMs);
  }
  const cols: [string, number][] = [
    ['run', 26],
    ['users', 10],
    ['mode', 7],
    ['pages', 7],
    ['wall s', 8],
    ['users/s', 9],
    ['floor s', 8],
    ['÷floor', 7],
    ['speed-up', 9],
    ['peak RSS', 9],
    ['maxRSS', 8],
    ['target', 7],
  ];
  const head = cols.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join('');
  const lines = [
    `Export throughput — latency ${latencyMs} ms per request, page cap ${pageCap}, concurrency ${CONCURRENCY} (transport default)`,
    head,
    '-'.repeat(head.length),
  ];
  for (const { spec, result, error } of rows) {
    const mode = spec.kind === 'sequential' ? 'seq' : spec.paging;
    const first = [spec.label.padEnd(26), spec.users.toLocaleString('en').padStart(10)];
    if (!result) {
      lines.push(`${first.join('')}${mode.padStart(7)}   failed: ${error ?? 'unknown error'}`);
      continue;
    }
    const wall = result.wallMs / 1000;
    const floor = floorMs(spec) / 1000;
    const ratio = wall / floor;
    const base = baseline.get(spec.users);
    const exporter = spec.kind === 'exporter';
    const cells = [
      mode,
      String(result.pages),
      wall.toFixed(2),
      (result.exported / wall).toFixed(0),
      floor.toFixed(2),
      `${ratio.toFixed(2)}×`,
      base !== undefined ? `${(base / result.wallMs).toFixed(2)}×` : '—',
      `${mib(result.peakRss)} MiB`,
      `${mib(result.maxRss)} MiB`,
      exporter ? (ratio <= TARGET_RATIO ? 'met' : 'MISSED') : '—',
    ];
    lines.push(
      first.join('') +
        cells.map((c, i) => c.padStart((cols[i + 2] as [string, number])[1])).join(''),
    );
  }
  const diag: [string, number][] = [
    ['run', 26],
    ['requests', 9],
    ['in flight', 10],
    ['client CPU s', 13],
    ['server CPU s', 13],
    ['cli µs/user', 12],
    ['CPU target', 11],
    ['verdict', 8],
    ['file MiB', 9],
    ['dups', 6],
    ['retries', 8],
    ['warnings', 9],
  ];
  const diagHead = diag.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join('');
  lines.push('', diagHead, '-'.repeat(diagHead.length));
  for (const { spec, result, server } of rows) {
    if (!result) continue;
    const perUser = result.exported > 0 ? (result.cpuMs * 1000) / result.exported : NaN;
    const cpuTarget = spec.kind === 'exporter' ? TARGET_CPU_US[spec.format] : undefined;
    const cells = [
      server ? String(server.requests) : '—',
      server ? String(server.peakInFlight) : '—',
      (result.cpuMs / 1000).toFixed(2),
      server ? (server.cpuMs / 1000).toFixed(2) : '—',
      Number.isFinite(perUser) ? perUser.toFixed(1) : '—',
      cpuTarget !== undefined ? `≤ ${cpuTarget}` : '—',
      cpuTarget === undefined ? '—' : perUser <= cpuTarget ? 'met' : 'MISSED',
      mib(result.bytes),
      String(result.duplicatesDropped),
      String(result.retries),
      String(result.warnings.length),
    ];
    lines.push(
      spec.label.padEnd(26) +
        cells.map((c, i) => c.padStart((diag[i + 1] as [string, number])[1])).join(''),
    );
  }
  const warned = new Set(rows.flatMap((r) => r.result?.warnings ?? []));
  for (const w of warned) lines.push(`warning: ${w}`);

  lines.push(
    '',
    `target: ratio to floor ≤ ${TARGET_RATIO} (exporter rows)`,
    `CPU target: client CPU per exported user ≤ ${TARGET_CPU_US.jsonl} µs (JSON Lines) and ≤ ${TARGET_CPU_US.csv} µs (CSV), half the figures before issue 18 (exporter rows; CPU time inflates on a loaded machine: see the load average)`,
    `floor = pages × latency ÷ ${CONCURRENCY} for index paging; pages × latency for cursor paging and the sequential pager (pages = users ÷ page cap)`,
    'speed-up = sequential pager wall time ÷ this run’s wall time, same user count',
    'peak RSS = max of process.memoryUsage().rss sampled every 50 ms in a fresh process per run; maxRSS = getrusage high-water mark',
  );
  // Streaming check: the same run at the small and the large size should peak at about the same RSS.
  const sizes = [...new Set(rows.map((r) => r.spec.users))].sort((a, b) => a - b);
  if (sizes.length > 1) {
    const small = sizes[0] as number;
    const large = sizes[sizes.length - 1] as number;
    for (const r of rows.filter((x) => x.spec.users === large && x.result)) {
      const twin = rows.find(
        (x) =>
          x.spec.users === small &&
          x.spec.kind === r.spec.kind &&
          x.spec.paging === r.spec.paging &&
          x.spec.format === r.spec.format &&
          x.result,
      );
      if (!twin?.result || !r.result) continue;
      lines.push(
        `streaming: ${r.spec.label.replace(/ \d.*$/, '')} peak RSS ${mib(twin.result.peakRss)} MiB at ${small.toLocaleString('en')} → ${mib(r.result.peakRss)} MiB at ${large.toLocaleString('en')} users (${(r.result.peakRss / twin.result.peakRss).toFixed(2)}×)`,
      );
    }
  }
  const load = loadavg().map((l) => l.toFixed(1));
  lines.push(`load average at the end (1, 5, 15 min): ${load.join(', ')}`);
  return lines.join('\n');
}

function plan(o: {
  users: number;
  largeUsers: number | undefined;
  latencyMs: number;
  pageCap: number;
  only: Set<string>;
}): RunSpec[] {
  const base = { latencyMs: o.latencyMs, pageCap: o.pageCap };
  const short = (n: number) =>
    n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
  const specs: RunSpec[] = [];
  const add = (group: string, spec: Omit<RunSpec, 'latencyMs' | 'pageCap'>) => {
    if (o.only.size === 0 || o.only.has(group)) specs.push({ ...spec, ...base });
  };
  const at = (users: number, large: boolean) => {
    if (!large) {
      add('a', {
        label: `a sequential jsonl ${short(users)}`,
        kind: 'sequential',
        format: 'jsonl',
        serverMode: 'index',
        paging: 'index',
        users,
      });
    }
    for (const format of ['csv', 'jsonl'] as const) {
      add('b', {
        label: `b exporter ${format} ${short(users)}`,
        kind: 'exporter',
        format,
        serverMode: 'index',
        paging: 'index',
        users,
      });
    }
    add('c', {
      label: `c exporter jsonl ${short(users)}`,
      kind: 'exporter',
      format: 'jsonl',
      serverMode: 'cursor',
      paging: 'cursor',
      users,
    });
  };
  at(o.users, false);
  if (o.largeUsers !== undefined) at(o.largeUsers, true);
  return specs;
}

function intOption(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

async function orchestrate(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'no-large': { type: 'boolean', default: false },
      users: { type: 'string' },
      'large-users': { type: 'string' },
      latency: { type: 'string' },
      'page-cap': { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick;
  const users = intOption(values.users, quick ? 10_000 : 100_000, 'users');
  const largeUsers =
    quick || values['no-large']
      ? undefined
      : intOption(values['large-users'], 1_000_000, 'large-users');
  const latencyMs = intOption(values.latency, 20, 'latency');
  const pageCap = intOption(values['page-cap'], 100, 'page-cap');
  const only = new Set(
    (values.only ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const specs = plan({ users, largeUsers, latencyMs, pageCap, only });

  const servers = new Map<string, ServerChild>();
  const rows: Row[] = [];
  try {
    for (const spec of specs) {
      const key = `${spec.users}/${spec.serverMode}`;
      let server = servers.get(key);
      if (!server) {
        server = await startServerChild(spec.users, latencyMs, pageCap, spec.serverMode);
        servers.set(key, server);
      }
      process.stderr.write(`running ${spec.label} (server: ${spec.serverMode} paging)…\n`);
      try {
        const before = await serverStats(server);
        const result = await runInWorker({
          ...spec,
          url: server.url,
          token: server.token,
          ...(values['cpu-prof'] !== undefined ? { cpuProfDir: resolve(values['cpu-prof']) } : {}),
        });
        rows.push({ spec, result, server: serverSide(before, await serverStats(server)) });
        process.stderr.write(
          `  ${(result.wallMs / 1000).toFixed(2)} s, ${result.pages} pages, peak RSS ${mib(result.peakRss)} MiB\n`,
        );
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        rows.push({ spec, error });
        process.stderr.write(`  failed: ${error}\n`);
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => stopChild(s.child)));
  }
  process.stdout.write(`${table(rows, latencyMs, pageCap)}\n`);
  if (rows.some((r) => !r.result)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--worker');
  if (at === -1) return orchestrate();
  const input = JSON.parse(process.argv[at + 1] ?? '{}') as WorkerInput;
  try {
    const result = await runWorker(input);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: true, result })}\n`);
    // Nothing should keep the worker alive now; if something does, do not hang the bench on it.
    setTimeout(() => process.exit(), 2000).unref();
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ok: false, error })}\n`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
