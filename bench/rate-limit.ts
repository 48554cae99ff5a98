/**
 * Rate-limit learning (issue 18, part 1): a plan of creates applied with `applyPlan` against the
 * deviation server (its own process, bench/lib/run-deviant-server.ts) capped at R requests/s.
 * The client is NOT told R (no `maxRequestsPerSecond`): it must learn it from 429s, or from the
 * rate-limit headers on the rows that send them. Each row gets a fresh, empty server and enough
 * creates for `--seconds` at R (Bulk: R × maxOperations), so rows are comparable in length.
 *
 * Figures, counted by the server between the end of discovery and the end of the run:
 *   achieved = answers that were not 429 ÷ wall seconds (requests/s; Bulk: /Bulk requests/s);
 *   ×R       = achieved ÷ R;
 *   429 %    = 429 answers ÷ all answers.
 * Targets: ×R ≥ 0.9 and 429 % ≤ 2 (headers rows: ≤ 0.5), every create done.
 *
 * Run: npx tsx bench/rate-limit.ts [--quick] [--seconds 30] [--latency 10] [--bulk-max 5]
 *        [--only singles,bulk,headers,fixed]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openWithOptions } from '../engine/connections/open-connection';
import { applyPlan } from '../engine/apply/apply-run';
import { buildPlan } from '../engine/plan/planner';
import { parseMappingSpec } from '../shared/mapping/spec';
import type { JobThrottle } from '../shared/ipc/schemas/jobs';
import { writeApplyFiles } from './lib/apply-data';
import type { DeviantServerStats } from './lib/run-deviant-server';

const CONCURRENCY = 8;
/** The uncapped rows send as many requests as `--seconds / 2` at this rate would. */
const FLOOR_SAMPLE_RATE = 200;
const TARGET_SHARE_OF_R = 0.9;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');

type Headers = 'x-ratelimit' | 'ietf' | 'ietf-legacy';
type Spec = {
  group: 'singles' | 'bulk' | 'headers' | 'fixed' | 'floor';
  rate: number;
  bulk: boolean;
  window: 'fixed' | 'sliding';
  headers?: Headers;
};
type Outcome = {
  spec: Spec;
  ops: number;
  done: number;
  failed: number;
  unknown: number;
  wallMs: number;
  server: { requests: number; ok: number; throttled: number; bulk: number };
  pacing: JobThrottle;
  /** The run's whole seconds where the server accepted under {@link SLOW_SHARE} × R. */
  slow: { whole: number; seconds: string[] };
};

/** A second of the run is "slow" when the server accepted fewer than this share of R in it. */
const SLOW_SHARE = 0.8;

/**
 * The whole epoch seconds between `startMs` and `endMs` where the server accepted under
 * {@link SLOW_SHARE} × `rate` ("+3 s 120 (4×429)": 120 accepted, 4 refused, 3 s into the run):
 * where a row's time went when the learned rate was right but the row was slow.
 */
function slowSeconds(
  timeline: readonly [number, number, number][],
  rate: number,
  startMs: number,
  endMs: number,
): { whole: number; seconds: string[] } {
  const by = new Map(timeline.map(([second, ok, refused]) => [second, [ok, refused] as const]));
  const first = Math.ceil(startMs / 1000);
  const last = Math.floor(endMs / 1000);
  const seconds: string[] = [];
  for (let second = first; second < last; second++) {
    const [ok, refused] = by.get(second) ?? [0, 0];
    if (rate > 0 && ok < SLOW_SHARE * rate) {
      seconds.push(`+${second - first} s ${ok}${refused ? ` (${refused}×429)` : ''}`);
    }
  }
  return { whole: Math.max(0, last - first), seconds };
}

function specs(quick: boolean, only: Set<string>): Spec[] {
  const all: Spec[] = [
    // No cap: what this machine manages at all (a loaded machine may not reach R = 200).
    { group: 'floor', rate: 0, bulk: false, window: 'sliding' },
    { group: 'floor', rate: 0, bulk: true, window: 'sliding' },
    ...[10, 50, 200].map((rate): Spec => ({
      group: 'singles',
      rate,
      bulk: false,
      window: 'sliding',
    })),
    ...(quick ? [50] : [10, 50, 200]).map((rate): Spec => ({
      group: 'bulk',
      rate,
      bulk: true,
      window: 'sliding',
    })),
    { group: 'headers', rate: 50, bulk: false, window: 'fixed', headers: 'x-ratelimit' },
    { group: 'headers', rate: 200, bulk: false, window: 'sliding', headers: 'ietf' },
    ...(quick
      ? []
      : [
          {
            group: 'headers',
            rate: 10,
            bulk: false,
            window: 'fixed',
            headers: 'ietf-legacy',
          } as Spec,
          { group: 'fixed', rate: 50, bulk: false, window: 'fixed' } as Spec,
          { group: 'fixed', rate: 200, bulk: false, window: 'fixed' } as Spec,
        ]),
  ];
  return all.filter((s) => only.size === 0 || only.has(s.group) || s.group === 'floor');
}

type ServerChild = {
  url: string;
  token: string;
  child: ChildProcess;
  stats(): Promise<DeviantServerStats>;
};

async function nextLine(lines: Interface, child: ChildProcess): Promise<string> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`deviant server exited (${String(code)})`);
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

async function startServer(spec: Spec, latencyMs: number, bulkMax: number): Promise<ServerChild> {
  const args = [
    '--latency',
    String(latencyMs),
    '--rate',
    String(spec.rate),
    '--window',
    spec.window,
    '--bulk-max',
    String(spec.bulk ? bulkMax : 0),
    ...(spec.headers ? ['--limit-headers', spec.headers] : []),
  ];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'lib', 'run-deviant-server.ts'), ...args],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  if (!child.stdout) throw new Error('server: no stdout');
  const lines = createInterface({ input: child.stdout });
  const info = JSON.parse(await nextLine(lines, child)) as { url: string; token: string };
  return {
    ...info,
    child,
    async stats() {
      const answer = nextLine(lines, child);
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

async function makePlan(dir: string, n: number): Promise<string> {
  const files = await writeApplyFiles(dir, n);
  const mapping = parseMappingSpec(
    JSON.parse(await readFile(files.mapping, 'utf8')),
    files.mapping,
  );
  const outFile = join(dir, 'plan.jsonl');
  await buildPlan({
    csvFile: files.csv,
    mapping,
    outFile,
    source: { kind: 'snapshot', file: files.snapshot },
  });
  return outFile;
}

async function runOne(
  spec: Spec,
  o: { seconds: number; latencyMs: number; bulkMax: number },
): Promise<Outcome> {
  const perSecond = spec.rate > 0 ? spec.rate : FLOOR_SAMPLE_RATE;
  const ops = Math.round(
    perSecond * (o.seconds / 2) * (spec.rate > 0 ? 2 : 1) * (spec.bulk ? o.bulkMax : 1),
  );
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-rate-'));
  const server = await startServer(spec, o.latencyMs, o.bulkMax);
  try {
    const planFile = await makePlan(dir, ops);
    const conn = await openWithOptions(
      { id: 'bench', name: 'bench', bulk: spec.bulk ? 'auto' : 'never' },
      {
        baseUrl: server.url,
        auth: { kind: 'bearer', token: server.token },
        maxConcurrency: CONCURRENCY,
        userAgent: 'scim-porter-bench',
      },
    );
    try {
      if (conn.discovery.effective.bulk.enabled !== spec.bulk)
        throw new Error('discovery: unexpected Bulk support');
      // Discovery took part of the server's budget: wait out the second it used.
      await new Promise((r) => setTimeout(r, 1100));
      const before = await server.stats();
      const startedEpoch = Date.now();
      const started = performance.now();
      const result = await applyPlan({
        conn,
        dataDir: dir,
        planFile,
        target: { baseUrl: server.url },
        concurrency: CONCURRENCY,
      });
      const wallMs = performance.now() - started;
      const endedEpoch = Date.now();
      const after = await server.stats();
      const d = (s: string): number => (after.byStatus[s] ?? 0) - (before.byStatus[s] ?? 0);
      const requests = after.requests - before.requests;
      const throttled = d('429');
      return {
        spec,
        ops,
        done: result.run.counts['create']?.done ?? 0,
        failed: result.failed,
        unknown: result.unknown,
        wallMs,
        server: {
          requests,
          ok: requests - throttled,
          throttled,
          bulk: after.bulkRequests - before.bulkRequests,
        },
        pacing: conn.http.pacing(),
        slow: slowSeconds(after.timeline, spec.rate, startedEpoch, endedEpoch),
      };
    } finally {
      await conn.close();
    }
  } finally {
    await stopChild(server.child);
    await rm(dir, { recursive: true, force: true });
  }
}

const achieved = (r: Outcome): number => r.server.ok / (r.wallMs / 1000);

function verdict(r: Outcome): { ratio: number; share: number; target: number; met: boolean } {
  const ratio = achieved(r) / r.spec.rate;
  const share = r.server.requests > 0 ? r.server.throttled / r.server.requests : 0;
  const target = r.spec.headers ? 0.005 : 0.02;
  const complete = r.done === r.ops && r.failed === 0 && r.unknown === 0;
  return { ratio, share, target, met: complete && ratio >= TARGET_SHARE_OF_R && share <= target };
}

function table(all: Outcome[], o: { seconds: number; latencyMs: number; bulkMax: number }): string {
  const floors = new Map(
    all.filter((r) => r.spec.rate === 0).map((r) => [r.spec.bulk, achieved(r)]),
  );
  const rows = all.filter((r) => r.spec.rate > 0);
  const cols: [string, number][] = [
    ['server', 26],
    ['mode', 8],
    ['R/s', 6],
    ['ops', 8],
    ['wall s', 8],
    ['achieved/s', 11],
    ['×R', 6],
    ['÷min(R,floor)', 14],
    ['429s', 6],
    ['429 %', 8],
    ['target', 16],
    ['client learned', 26],
    ['verdict', 9],
  ];
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(cols[i]?.[1] ?? 8) : c.padStart(cols[i]?.[1] ?? 8)))
      .join('');
  const head = fmt(cols.map(([h]) => h));
  const lines = [
    `Rate-limit learning — the client is not told R; latency ${o.latencyMs} ms, concurrency ${CONCURRENCY}, ~${o.seconds} s per row, Bulk maxOperations ${o.bulkMax}`,
    head,
    '-'.repeat(head.length),
  ];
  for (const r of rows) {
    const v = verdict(r);
    const server = `${r.spec.window}${r.spec.headers ? ` + ${r.spec.headers}` : ''}`;
    const learned =
      r.pacing.allowedPerSecond !== undefined
        ? `${r.pacing.allowedPerSecond.toFixed(1)}/s (${r.pacing.source ?? '?'})`
        : 'unbounded';
    lines.push(
      fmt([
        server,
        r.spec.bulk ? 'bulk' : 'singles',
        String(r.spec.rate),
        r.ops.toLocaleString('en'),
        (r.wallMs / 1000).toFixed(1),
        (r.server.ok / (r.wallMs / 1000)).toFixed(1),
        v.ratio.toFixed(2),
        (achieved(r) / Math.min(r.spec.rate, floors.get(r.spec.bulk) ?? Infinity)).toFixed(2),
        String(r.server.throttled),
        `${(v.share * 100).toFixed(2)} %`,
        `≥0.90 ≤${(v.target * 100).toFixed(1)}%`,
        learned,
        v.met ? 'met' : 'MISSED',
      ]),
    );
  }
  lines.push(
    '',
    `Seconds under ${SLOW_SHARE} × R (whole seconds of the run, counted by the server):`,
  );
  for (const r of rows) {
    const { whole, seconds } = r.slow;
    const shown = seconds.slice(0, 10).join(', ') + (seconds.length > 10 ? ', …' : '');
    lines.push(
      `  ${r.spec.window}${r.spec.headers ? ` + ${r.spec.headers}` : ''} ${r.spec.bulk ? 'bulk' : 'singles'} R=${r.spec.rate}: ${seconds.length} of ${whole}${seconds.length ? ` — ${shown}` : ''}`,
    );
  }
  lines.push(
    '',
    `floor (no cap, same setup): singles ${(floors.get(false) ?? 0).toFixed(1)} req/s, Bulk ${(floors.get(true) ?? 0).toFixed(1)} req/s — where the floor is below R the machine, not the pacing, bounds the row`,
    'achieved/s = answers other than 429 ÷ wall time, counted by the server (Bulk rows: /Bulk requests; the cap is in requests)',
    '429 % = 429 answers ÷ all answers the server gave during the run; "client learned" = the pacing the client ended with',
    'windows: sliding = at most R accepted requests in any second; fixed = R per calendar second, every request counted',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      seconds: { type: 'string' },
      latency: { type: 'string' },
      'bulk-max': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const o = {
    seconds: Number(values.seconds ?? (quick ? 20 : 30)),
    latencyMs: Number(values.latency ?? 10),
    bulkMax: Number(values['bulk-max'] ?? 5),
  };
  const only = new Set((values.only ?? '').split(',').filter(Boolean));
  const rows: Outcome[] = [];
  for (const spec of specs(quick, only)) {
    process.stderr.write(
      `… ${spec.group} R=${spec.rate} ${spec.window}${spec.headers ? ` ${spec.headers}` : ''}\n`,
    );
    rows.push(await runOne(spec, o));
  }
  process.stdout.write(`${table(rows, o)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
