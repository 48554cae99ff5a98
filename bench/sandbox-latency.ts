/**
 * Sandbox latency at scale: seeds 100k users, then prints p50/p95/p99 for the lookups and pages a
 * SCIM client relies on, plus seed time and peak RSS.
 * Run: npx tsx bench/sandbox-latency.ts [users] [samples]
 */
import { startSandbox } from '../sandbox';

const USERS = Number(process.argv[2] ?? 100_000);
const SAMPLES = Number(process.argv[3] ?? 200);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sb = await startSandbox({ seed: USERS });
  const seedMs = performance.now() - t0;
  const headers = { Authorization: `Bearer ${sb.token}` };
  const users = sb.store.query('User');
  const pick = (i: number) => users[(i * 7919) % users.length];

  const measure = async (
    name: string,
    path: (i: number) => string,
    check: (body: Record<string, unknown>) => boolean,
    samples = SAMPLES,
  ) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const url = `${sb.url}${path(i)}`;
      const start = performance.now();
      const res = await fetch(url, { headers });
      const body = (await res.json()) as Record<string, unknown>;
      times.push(performance.now() - start);
      if (res.status !== 200 || !check(body)) {
        throw new Error(`${name}: unexpected answer ${res.status} for ${url}`);
      }
    }
    times.sort((a, b) => a - b);
    return {
      name,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
    };
  };
  const one = (b: Record<string, unknown>) => b.totalResults === 1;
  const q = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;

  const deep = Math.max(1, users.length - 200);
  let cursor = '';
  const rows = [
    await measure(
      'filter userName eq',
      (i) => q(`userName eq "${String(pick(i)?.data.userName)}"`),
      one,
    ),
    await measure(
      'filter externalId eq',
      (i) => q(`externalId eq "${String(pick(i)?.data.externalId)}"`),
      one,
    ),
    await measure(
      'GET /Users/{id}',
      (i) => `/Users/${pick(i)?.id ?? ''}`,
      (b) => typeof b.id === 'string',
    ),
    await measure(
      'index page (startIndex deep, 100)',
      () => `/Users?startIndex=${deep}&count=100`,
      (b) => (b.Resources as unknown[]).length === 100,
    ),
    await measure(
      'cursor page (100, walking)',
      () => `/Users?count=100&cursor=${encodeURIComponent(cursor)}`,
      (b) => {
        cursor = typeof b.nextCursor === 'string' ? b.nextCursor : '';
        return (b.Resources as unknown[]).length > 0;
      },
    ),
    // Not indexed: a full scan over every user, for comparison (fewer samples).
    await measure(
      'filter title co (full scan)',
      () => q('title co "Engineer" and active eq false'),
      (b) => typeof b.totalResults === 'number',
      Math.max(5, Math.floor(SAMPLES / 10)),
    ),
  ];
  await sb.close();
  clearInterval(sampler);
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  const lines = [
    `Sandbox latency — ${users.length.toLocaleString('en')} users, ${SAMPLES} samples each (ms)`,
    `${'operation'.padEnd(36)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}`,
    ...rows.map((r) => `${r.name.padEnd(36)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}`),
    `seed time: ${seedMs.toFixed(0)} ms   peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
