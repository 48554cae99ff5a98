/**
 * Run log (issue 19): how long `runs:log` takes on a large run. A run of N operations is written
 * directly (test/harness/run-log-fixture.ts), then, for each size: the first request (reads the
 * journal and builds the per-op index), a cached page deep in the log, a search for one person,
 * and an outcome filter — each the median of 5 after the first. Prints a table.
 *
 * Run: npx tsx bench/run-log.ts [--sizes 10000,100000,300000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunLog } from '../engine/apply/run-log';
import { runDir } from '../engine/apply/run-store';
import { RunLogRequestSchema } from '../shared/ipc/schemas/run-log';
import type { PlanHeader } from '../shared/plan/plan-format';
import { personOf, writeLargeRun } from '../test/harness/run-log-fixture';

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 2,
  createdAt: '2026-11-29T09:00:00.000Z',
  resourceType: 'User',
  endpoint: '/Users',
  mode: 'upsert',
  source: { kind: 'server', baseUrl: 'https://scim.example.com/v2', connection: 'bench' },
  csv: { file: '/tmp/users.csv', encoding: 'utf-8', delimiter: ',' },
  mapping: { resourceType: 'User' },
  patch: true,
  etag: false,
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function ms(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function median(f: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) xs.push(await ms(f));
  xs.sort((a, b) => a - b);
  return xs[2] ?? 0;
}

const sizes = arg('sizes', '10000,100000,300000').split(',').map(Number);
const rows: string[][] = [];
for (const n of sizes) {
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-runlog-'));
  try {
    const run = await writeLargeRun(dir, { planFile: '/tmp/p.jsonl', plan: header, target: {} }, n);
    const d = runDir(dir, run.runId);
    const req = (x: object) => RunLogRequestSchema.parse({ runId: run.runId, ...x });
    const first = await ms(() => readRunLog(d, req({})));
    const deep = await median(() =>
      readRunLog(d, req({ offset: Math.floor(n * 0.9), limit: 200 })),
    );
    const search = await median(() => readRunLog(d, req({ text: personOf(Math.floor(n / 2)) })));
    const failed = await median(() => readRunLog(d, req({ outcome: 'failed' })));
    const rss = process.memoryUsage().rss / 1024 / 1024;
    rows.push(
      [n, first, deep, search, failed, rss].map((v, i) =>
        i === 0 ? v.toLocaleString('en-US') : v.toFixed(0),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const head = ['ops', 'first ms', 'page ms', 'search ms', 'failed ms', 'rss MB'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
