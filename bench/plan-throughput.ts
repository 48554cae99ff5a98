/**
 * Planning throughput: an HR CSV of N rows planned offline against a snapshot of N users (so the
 * server is not what is measured), compared with bare papaparse and with the read floor — what
 * planning must read anyway: the CSV parsed with headers plus every snapshot line JSON-parsed once.
 * Each run is a fresh process, so its peak RSS is its own. Targets (issue #18): the cost per row
 * at the largest size within 1.2× the cost at the smallest, the largest plan ≤ 3× its read floor,
 * peak RSS ≤ 1 GB.
 *
 * Run: npx tsx bench/plan-throughput.ts [--quick] [--sizes 100000,1000000]
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { readLines } from '../engine/files/line-file';
import { writeHrFiles, type HrFiles } from './lib/hr-data';

const here = dirname(fileURLToPath(import.meta.url));
const RESULT = 'BENCH-RESULT ';
const MiB = 1024 * 1024;

type Measure = {
  wallMs: number;
  /** CPU time (user + system) of the measured work: steadier than wall time on a shared machine. */
  cpuMs?: number;
  peakRss: number;
  maxRss: number;
  rows: number;
  counts?: Record<string, number>;
};

function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

function sampler(): { stop(): { peak: number; max: number } } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { peak, max: process.resourceUsage().maxRSS * 1024 };
    },
  };
}

async function bareParse(csv: string): Promise<Measure> {
  const s = sampler();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {});
    parser.on('data', () => {
      rows += 1;
    });
    parser.on('end', () => {
      resolve();
    });
    parser.on('error', reject);
    createReadStream(csv).pipe(parser);
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const m = s.stop();
  return { wallMs, cpuMs, peakRss: m.peak, maxRss: m.max, rows: rows - 1 };
}

/** The read floor: the CSV parsed with headers, then the snapshot's JSON lines parsed once. */
async function readFloor(files: HrFiles): Promise<Measure> {
  const s = sampler();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true });
    parser.on('data', () => {
      rows += 1;
    });
    parser.on('end', () => {
      resolve();
    });
    parser.on('error', reject);
    createReadStream(files.csv).pipe(parser);
  });
  let resources = 0;
  for await (const line of readLines(files.snapshot)) {
    if (line.trim() === '' || typeof JSON.parse(line) !== 'object') continue;
    resources += 1;
  }
  const wallMs = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const m = s.stop();
  return { wallMs, cpuMs, peakRss: m.peak, maxRss: m.max, rows, counts: { resources } };
}

async function plan(files: HrFiles, out: string): Promise<Measure> {
  const { buildPlan } = await import('../engine/plan/planner');
  const { parseMappingSpec } = await import('../shared/mapping/spec');
  const mapping = parseMappingSpec(
    JSON.parse(await readFile(files.mapping, 'utf8')),
    files.mapping,
  );
  const s = sampler();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await buildPlan({
    csvFile: files.csv,
    mapping,
    outFile: out,
    source: { kind: 'snapshot', file: files.snapshot },
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const m = s.stop();
  return {
    wallMs,
    cpuMs,
    peakRss: m.peak,
    maxRss: m.max,
    rows: result.summary.csv?.rows ?? 0,
    counts: result.summary.counts,
  };
}

async function worker(kind: string, filesJson: string): Promise<void> {
  const files = JSON.parse(filesJson) as HrFiles;
  const m =
    kind === 'parse'
      ? await bareParse(files.csv)
      : kind === 'floor'
        ? await readFloor(files)
        : await plan(files, join(dirname(files.csv), 'plan.jsonl'));
  process.stdout.write(`${RESULT}${JSON.stringify(m)}\n`);
}

function runChild(kind: string, files: HrFiles): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'plan-throughput.ts'),
        '--worker',
        kind,
        '--files',
        JSON.stringify(files),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('exit', (code) => {
      const line = text.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) reject(new Error(`${kind} worker failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(RESULT.length)) as Measure);
    });
  });
}

type SizeResult = { n: number; csvBytes: number; parse: Measure; floor: Measure; plan: Measure };

async function measureSize(n: number): Promise<SizeResult & { exact: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-plan-'));
  try {
    process.stderr.write(`generating ${n.toLocaleString('en-US')} users…\n`);
    const files = await writeHrFiles(dir, n);
    const csvBytes = (await stat(files.csv)).size;
    process.stderr.write(`bare papaparse…\n`);
    const parse = await runChild('parse', files);
    process.stderr.write(`read floor (CSV with headers + snapshot JSON lines)…\n`);
    const floor = await runChild('floor', files);
    process.stderr.write(`plan (offline, against the snapshot)…\n`);
    const p = await runChild('plan', files);
    const c = p.counts ?? {};
    const ok =
      c['create'] === files.expected.create &&
      c['update'] === files.expected.update &&
      c['deactivate'] === files.expected.deactivate &&
      c['unchanged'] === files.expected.unchanged;
    return {
      n,
      csvBytes,
      parse,
      floor,
      plan: p,
      exact: ok ? 'exact' : `WRONG ${JSON.stringify(c)}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const usPerRow = (m: Measure): number => (m.wallMs * 1000) / Math.max(1, m.rows);
const cpuRatio = (a: Measure, b: Measure): string =>
  a.cpuMs !== undefined && b.cpuMs ? `${(a.cpuMs / b.cpuMs).toFixed(2)}×` : '–';

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(fmt(head));
  console.log('-'.repeat(fmt(head).length));
  for (const r of rows) console.log(fmt(r));
}

function sizeRow(r: SizeResult & { exact: string }): string[] {
  const p = r.plan;
  return [
    r.n.toLocaleString('en-US'),
    `${(r.csvBytes / MiB).toFixed(0)} MiB`,
    (r.parse.wallMs / 1000).toFixed(2),
    (r.floor.wallMs / 1000).toFixed(2),
    (p.wallMs / 1000).toFixed(2),
    `${(p.wallMs / r.floor.wallMs).toFixed(2)}×`,
    cpuRatio(p, r.floor),
    `${(p.wallMs / r.parse.wallMs).toFixed(1)}×`,
    usPerRow(p).toFixed(1),
    Math.round(p.rows / (p.wallMs / 1000)).toLocaleString('en-US'),
    `${(r.floor.maxRss / MiB).toFixed(0)} MiB`,
    `${(Math.max(p.peakRss, p.maxRss) / MiB).toFixed(0)} MiB`,
    r.exact,
  ];
}

/** The targets, each with its figure and verdict (smallest vs largest size). */
function targetRows(results: SizeResult[]): string[][] {
  const small = results[0];
  const large = results[results.length - 1];
  if (!small || !large) return [];
  const n = (r: SizeResult) => r.n.toLocaleString('en-US');
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const growth = usPerRow(large.plan) / usPerRow(small.plan);
  const toFloor = large.plan.wallMs / large.floor.wallMs;
  const rss = Math.max(...results.map((r) => Math.max(r.plan.peakRss, r.plan.maxRss)));
  return [
    [
      `cost per row ${n(large)} ÷ ${n(small)}`,
      `${usPerRow(large.plan).toFixed(1)} ÷ ${usPerRow(small.plan).toFixed(1)} µs = ${growth.toFixed(2)}×`,
      '≤ 1.2×',
      results.length > 1 ? verdict(growth <= 1.2) : 'n/a (one size)',
    ],
    [
      `plan ${n(large)} ÷ read floor`,
      `${(large.plan.wallMs / 1000).toFixed(2)} ÷ ${(large.floor.wallMs / 1000).toFixed(2)} s = ${toFloor.toFixed(2)}×`,
      '≤ 3×',
      verdict(toFloor <= 3),
    ],
    ['plan peak RSS', `${(rss / MiB).toFixed(0)} MiB`, '≤ 1024 MiB', verdict(rss <= 1024 * MiB)],
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      sizes: { type: 'string' },
      worker: { type: 'string' },
      files: { type: 'string' },
    },
  });
  if (values.worker) return worker(values.worker, values.files ?? '{}');
  const sizes = (values.sizes ?? (values.quick ? '10000,100000' : '100000,1000000'))
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const results: (SizeResult & { exact: string })[] = [];
  for (const n of sizes) results.push(await measureSize(n));
  console.log('Planning throughput — offline plan against a snapshot of the same size');
  printTable(
    [
      'rows',
      'CSV',
      'parse s',
      'floor s',
      'plan s',
      '÷floor',
      'cpu ÷floor',
      '÷parse',
      'µs/row',
      'rows/s',
      'floor RSS',
      'plan RSS',
      'counts',
    ],
    results.map(sizeRow),
  );
  console.log('\nTargets (issue #18)');
  printTable(['figure', 'measured', 'target', 'verdict'], targetRows(results));
  console.log(
    '\nfloor: the CSV parsed with headers (papaparse) + every snapshot line JSON-parsed once — what planning must read anyway',
  );
  console.log(
    'cpu ÷floor: the same ratio in CPU time (user + system) of each process — steadier than wall time when other work shares the machine',
  );
  console.log(
    'counts: create/update/deactivate/unchanged equal what the generator changed (5 % titles, 1 % terminated, 2 % hires)',
  );
  console.log(
    'RSS: the larger of a 50 ms sample in a fresh process per run and the getrusage high-water mark',
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
