/**
 * Runs the synthetic SCIM server (synthetic-scim-server.ts) as its own process, so a benchmark's
 * measured process holds only the client. Prints one JSON line on stdout once listening:
 * `{"url":"http://127.0.0.1:…/scim/v2","token":"…","users":…,…}`, then serves until SIGTERM/SIGINT
 * or until its stdin closes (the parent went away).
 *
 * Run: npx tsx bench/lib/run-synthetic-server.ts --users 100000 --latency 20 --page-cap 100 [--mode index|cursor|both] [--token T]
 */
import { parseArgs } from 'node:util';
import { startSyntheticServer, type PagingModeOption } from './synthetic-scim-server';

const MODES: readonly PagingModeOption[] = ['index', 'cursor', 'both'];

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      latency: { type: 'string' },
      'page-cap': { type: 'string' },
      mode: { type: 'string' },
      token: { type: 'string' },
      groups: { type: 'string' },
      'members-per-group': { type: 'string' },
      port: { type: 'string' },
    },
    strict: true,
  });
  const mode = (values.mode ?? 'both') as PagingModeOption;
  if (!MODES.includes(mode)) throw new Error(`--mode must be one of ${MODES.join(', ')}`);
  const server = await startSyntheticServer({
    users: positiveInt('users', values.users, 100_000),
    latencyMs: positiveInt('latency', values.latency, 20),
    pageCap: Math.max(1, positiveInt('page-cap', values['page-cap'], 100)),
    mode,
    groups: positiveInt('groups', values.groups, 10),
    membersPerGroup: positiveInt('members-per-group', values['members-per-group'], 100),
    port: positiveInt('port', values.port, 0),
    ...(values.token !== undefined ? { token: values.token } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ url: server.url, token: server.token, ...server.options })}\n`,
  );

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
