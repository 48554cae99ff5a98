/**
 * The import wizard's file check (`import:inspect`: one streaming pass for encoding, delimiter,
 * row count and damaged rows, plus a sample and a suggested mapping), through the app's IPC
 * router, compared with counting the same file's rows with bare papaparse. It is what the admin
 * waits for after choosing a CSV.
 *
 * Run: npx tsx bench/inspect-throughput.ts [--sizes 100000,1000000]
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { createRouter } from '../engine/api/router';
import { createEngine } from '../engine/create-engine';
import { createMemorySecretStore } from '../engine/secrets/memory-secret-store';
import { writeHrFiles } from './lib/hr-data';

const MiB = 1024 * 1024;

async function bareRows(csv: string): Promise<number> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {});
    parser.on('data', () => {
      rows += 1;
    });
    parser.on('end', resolve);
    parser.on('error', reject);
    createReadStream(csv).pipe(parser);
  });
  return rows - 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' } } });
  const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number);
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-bench-inspect-'));
  const engine = await createEngine({ dataDir: dir, secrets: createMemorySecretStore() });
  const router = createRouter(engine);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const table: Record<string, string | number>[] = [];
  try {
    for (const n of sizes) {
      const sub = join(dir, String(n));
      await mkdir(sub);
      const files = await writeHrFiles(sub, n);
      const mb = (await stat(files.csv)).size / MiB;
      let t = performance.now();
      const bare = await bareRows(files.csv);
      const bareMs = performance.now() - t;
      peak = process.memoryUsage().rss;
      t = performance.now();
      const result = await router.dispatch('import:inspect', { path: files.csv });
      const inspectMs = performance.now() - t;
      if (!result.ok) throw new Error(result.error.message);
      const rows = (result.value as { diagnostics: { rows: number } }).diagnostics.rows;
      if (rows !== bare) throw new Error(`inspect counted ${rows} rows, papaparse ${bare}`);
      table.push({
        rows: n,
        'file MiB': Math.round(mb),
        'bare papaparse s': +(bareMs / 1000).toFixed(2),
        'inspect s': +(inspectMs / 1000).toFixed(2),
        'ratio to bare': +(inspectMs / bareMs).toFixed(1),
        'MB/s': Math.round(mb / (inspectMs / 1000)),
        'peak RSS MiB (during inspect)': Math.round(peak / MiB),
      });
    }
  } finally {
    clearInterval(timer);
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  console.table(table);
}

await main();
