/**
 * Runs the CLI in this process with its output captured, for integration tests that drive
 * `scim-porter` commands without the built bundle.
 */
import { runCli } from '../../cli/main';
import type { CliIo } from '../../cli/io';

export type CliRun = { code: number; out: string; err: string };

/** `scim-porter ARGS` with `env` as its environment and `cwd` as its folder; not interactive. */
export async function runCliCaptured(
  args: readonly string[],
  opts: { env: Record<string, string>; cwd: string },
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (l) => (out += `${l}\n`),
    err: (l) => (err += `${l}\n`),
    progress: () => undefined,
    interactive: false,
    env: opts.env,
    cwd: opts.cwd,
  };
  const code = await runCli([...args], io);
  return { code, out, err };
}
