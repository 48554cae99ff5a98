import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startSandbox } from '../../sandbox';
import { EXIT, UsageError } from '../exit-codes';
import type { CliIo } from '../io';

export const SANDBOX_HELP = `Usage: scim-porter sandbox start [--port N] [--data DIR] [--seed N] [--token TOKEN]

Starts the built-in SCIM 2.0 sandbox server on 127.0.0.1 and prints one JSON line
{"url": ..., "token": ...} on stdout, then serves until stopped (Ctrl+C).
  --port N     listen on port N (default: a free random port)
  --data DIR   keep the sandbox's users and groups in DIR (default: memory only)
  --seed N     demo users to create when the store is empty (default 50; 0 for none)
  --token T    bearer token to require (default: a random one)`;

/** `sandbox start`: resolves when the server is stopped by a signal (or `stop` is aborted, in tests). */
export async function runSandbox(argv: string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      token: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals[0] !== 'start' || positionals.length > 1) throw new UsageError(SANDBOX_HELP);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a port number (0–65535).');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0))
    throw new UsageError('--seed must be a whole number.');
  const handle = await startSandbox({
    port,
    ...(values.data ? { dataDir: resolve(io.cwd, values.data) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.token ? { token: values.token } : {}),
  });
  io.out(JSON.stringify({ url: handle.url, token: handle.token }));
  io.err(`SCIM sandbox listening at ${handle.url} (Ctrl+C to stop)`);
  await new Promise<void>((done) => {
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    stop?.addEventListener('abort', finish, { once: true });
  });
  await handle.close();
  io.err(
    values.data
      ? `Sandbox stopped; data saved in ${values.data}.`
      : 'Sandbox stopped; its data was in memory only and is gone (use --data DIR to keep it).',
  );
  return EXIT.ok;
}
