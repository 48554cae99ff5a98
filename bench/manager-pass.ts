/**
 * Managers created in the same run on a server without Bulk (issue 14 item 6): requests and wall
 * time of applying N new users whose managers are among them (a hierarchy `--branch` wide, so
 * log_branch(N) levels deep), with
 *
 *   a. one manager pass at the end — every user created, then one PATCH per report
 *      (`managerLevels: false`, what apply did before);
 *   b. hierarchy levels — reports created after their managers, `manager.value` in the POST.
 *
 * Each variant gets a fresh empty deviation server (test/servers/deviant-server.ts, in this
 * process, Bulk refused, `--latency` ms per request) that counts the requests it receives.
 *
 * Run: npx tsx bench/manager-pass.ts [--users 2000] [--branch 3] [--latency 5]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyPlan } from '../engine/apply/apply-run';
import { openWithOptions } from '../engine/connections/open-connection';
import { buildPlan } from '../engine/plan/planner';
import { parseMappingSpec } from '../shared/mapping/spec';
import { startDeviantServer } from '../test/servers/deviant-server';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    branch: { type: 'string', default: '3' },
    latency: { type: 'string', default: '5' },
  },
});
const users = Number(values.users);
const branch = Number(values.branch);
const latencyMs = Number(values.latency);

const mapping = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'title', source: { column: 'Title' } },
    { target: `${ENT}:employeeNumber`, source: { column: 'Id' } },
  ],
  manager: { column: 'Manager', by: 'employeeNumber' },
  match: { keys: [['userName']] },
});

function depth(): number {
  let d = 0;
  for (let i = users - 1; i > 0; i = Math.floor((i - 1) / branch)) d += 1;
  return d;
}

type Row = {
  label: string;
  requests: number;
  posts: number;
  patches: number;
  gets: number;
  wall: number;
  ok: boolean;
};

async function once(levels: boolean): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-managers-'));
  const server = await startDeviantServer({ noBulk: true, latencyMs });
  const conn = await openWithOptions(
    { id: 'b', name: 'b', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 30_000 },
  );
  try {
    const lines = ['Id,Email,Title,Manager'];
    for (let i = 0; i < users; i++) {
      const manager = i === 0 ? '' : `E${Math.floor((i - 1) / branch)}`;
      lines.push(`E${i},u${i}@example.com,Title ${i % 5},${manager}`);
    }
    const csvFile = join(dir, 'people.csv');
    await writeFile(csvFile, `${lines.join('\n')}\n`);
    const planFile = join(dir, 'plan.jsonl');
    await buildPlan({
      csvFile,
      mapping,
      outFile: planFile,
      source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
    });
    const before = server.requests.length;
    const started = performance.now();
    const r = await applyPlan({
      conn,
      dataDir: join(dir, 'data'),
      planFile,
      target: {},
      managerLevels: levels,
    });
    const wall = (performance.now() - started) / 1000;
    const sent = server.requests.slice(before);
    const count = (m: string): number => sent.filter((q) => q.method === m).length;
    const linked = server.sandbox
      .list('User')
      .filter((u) => (u[ENT] as { manager?: unknown } | undefined)?.manager !== undefined).length;
    return {
      label: levels ? 'b. hierarchy levels' : 'a. manager pass',
      requests: sent.length,
      posts: count('POST'),
      patches: count('PATCH'),
      gets: count('GET'),
      wall,
      ok: r.failed === 0 && r.unknown === 0 && linked === users - 1,
    };
  } finally {
    await conn.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = [await once(false), await once(true)];
console.log(
  `Managers created in the same run, no Bulk — ${users} users, hierarchy ${branch} wide, ${depth()} levels below the root, ${latencyMs} ms per request`,
);
const header = ['variant', 'requests', 'POST', 'PATCH', 'GET', 'wall s', 'users/s', 'exact'];
const table = rows.map((r) => [
  r.label,
  String(r.requests),
  String(r.posts),
  String(r.patches),
  String(r.gets),
  r.wall.toFixed(1),
  (users / r.wall).toFixed(0),
  r.ok ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => (t[i] ?? '').length)));
const fmt = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(fmt(header));
console.log('-'.repeat(fmt(header).length));
for (const t of table) console.log(fmt(t));
console.log('exact = every user created once, every report linked to its manager, nothing failed');
