/**
 * Planning throughput: an HR CSV of N rows planned offline against a snapshot of N users (so the
 * server is not what is measured), compared with parsing the same file with bare papaparse.
 * Each run is a fresh process, so its peak RSS is its own. Targets (issue #4): 1M rows within 3×
 * of the bare parse, peak RSS under 1 GB.
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
import { writeHrFiles, type HrFiles } from './lib/hr-data';

const here = dirname(fileURLToPath(import.meta.url));
const RESULT = 'BENCH-RESULT ';
const MiB = 1024 * 1024;

type Measure = {
  wallMs: number;
  peakRss: number;
  maxRss: number;
  rows: number;
  counts?: Record<string, number>;
};

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
  const m = s.stop();
  return { wallMs, peakRss: m.peak, maxRss: m.max, rows: rows - 1 };
}

async function plan(files: HrFiles, out: string): Promise<Measure> {
  const { buildPlan } = await import('../electron/engine/plan/planner');
  const { parseMappingSpec } = await import('../shared/mapping/spec');
  const mapping = parseMappingSpec(
    JSON.parse(await readFile(files.mapping, 'utf8')),
    files.mapping,
  );
  const s = sampler();
  const t0 = performance.now();
  const result = await buildPlan({
    csvFile: files.csv,
    mapping,
    outFile: out,
    source: { kind: 'snapshot', file: files.snapshot },
  });
  const wallMs = performance.now() - t0;
  const m = s.stop();
  return {
    wallMs,
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
    .map(Number);
  const rows: string[][] = [];
  for (const n of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-plan-'));
    try {
      process.stderr.write(`generating ${n.toLocaleString('en-US')} users…\n`);
      const files = await writeHrFiles(dir, n);
      const csvBytes = (await stat(files.csv)).size;
      process.stderr.write(`bare papaparse…\n`);
      const parse = await runChild('parse', files);
      process.stderr.write(`plan (offline, against the snapshot)…\n`);
      const p = await runChild('plan', files);
      const c = p.counts ?? {};
      const exact =
        c['create'] === files.expected.create &&
        c['update'] === files.expected.update &&
        c['deactivate'] === files.expected.deactivate &&
        c['unchanged'] === files.expected.unchanged;
      rows.push([
        n.toLocaleString('en-US'),
        `${(csvBytes / MiB).toFixed(0)} MiB`,
        (parse.wallMs / 1000).toFixed(2),
        (p.wallMs / 1000).toFixed(2),
        `${(p.wallMs / parse.wallMs).toFixed(2)}×`,
        Math.round(p.rows / (p.wallMs / 1000)).toLocaleString('en-US'),
        `${(parse.peakRss / MiB).toFixed(0)} MiB`,
        `${(p.peakRss / MiB).toFixed(0)} MiB`,
        `${(p.maxRss / MiB).toFixed(0)} MiB`,
        exact ? 'exact' : `WRONG ${JSON.stringify(c)}`,
        p.wallMs / parse.wallMs <= 3 && p.maxRss < 1024 * MiB ? 'met' : 'MISSED',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const head = [
    'rows',
    'CSV',
    'parse s',
    'plan s',
    '÷parse',
    'rows/s',
    'parse RSS',
    'plan RSS',
    'plan maxRSS',
    'counts',
    'target',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(
    'Planning throughput — offline plan against a snapshot of the same size vs bare papaparse',
  );
  console.log(fmt(head));
  console.log('-'.repeat(fmt(head).length));
  for (const r of rows) console.log(fmt(r));
  console.log('\ntarget: plan ≤ 3× bare parse time and peak RSS < 1 GB (1M rows)');
  console.log(
    'counts: create/update/deactivate/unchanged equal what the generator changed (5 % titles, 1 % terminated, 2 % hires)',
  );
  console.log(
    'RSS: sampled every 50 ms in a fresh process per run; maxRSS = getrusage high-water mark',
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
