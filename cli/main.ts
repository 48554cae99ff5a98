import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { isAppError, toErrorPayload } from '../shared/errors/errors';
import { createCliLogger } from './log';
import { createEngine, type Engine } from '../engine/create-engine';
import { createMemorySecretStore } from '../engine/secrets/memory-secret-store';
import { resolveDataDir } from '../engine/files/data-dir';
import { ENGINE_VERSION } from '../engine/version';
import { APPLY_HELP, RUNS_HELP, runApply, runRuns } from './commands/apply';
import { CONNECTIONS_HELP, runConnections } from './commands/connections';
import { DISCOVER_HELP, runDiscover } from './commands/discover';
import { EXPORT_HELP, runExport } from './commands/export';
import { GET_HELP, runGet } from './commands/get';
import { MAPPING_HELP, runMapping } from './commands/mapping';
import { PLAN_HELP, runPlan } from './commands/plan';
import { SANDBOX_HELP, runSandbox } from './commands/sandbox';
import { EXIT, UsageError } from './exit-codes';
import { EXIT_INTERRUPTED, watchInterrupts } from './interrupt';
import { createProcessIo, printError, type CliIo } from './io';

export const HELP = `scim-porter ${ENGINE_VERSION} — move people in and out of any SCIM 2.0 server

Usage: scim-porter <command> [options]

Commands:
  connections add|list|test|remove   manage saved connection profiles
  discover                           show what a server supports (--json for machines)
  export users|groups|TYPE           export to CSV or JSON Lines (--out FILE, --format, --attributes)
  get users|groups                   list resources (--filter, --attributes, --json)
  mapping suggest FILE.csv           propose a mapping of a CSV's columns to SCIM (JSON on stdout)
  plan --csv F --mapping M --out P   preview exactly what a CSV would change (writes nothing)
  apply plan.jsonl                   run a plan: journalled, resumable, with a per-row report
  runs list|show|resume|report       past and interrupted runs
  sandbox start                      run the built-in SCIM sandbox server on 127.0.0.1

Connecting (every command that talks to a server):
  --connection NAME    a saved profile (secret from the environment, see below)
  --url URL            a SCIM base URL, e.g. https://example.com/scim/v2
  --ca FILE            trust an extra CA certificate (PEM); repeatable
  --proxy URL          send requests through an HTTP(S) proxy
  --timeout MS         per-request timeout (default 30000)
  --concurrency N      at most N requests in flight (default 8)
  --max-rps R          at most R requests per second
  --insecure           turn OFF TLS verification (dangerous; prints a warning)

Secrets come only from the environment:
  SCIM_TOKEN                                       bearer token
  SCIM_USERNAME, SCIM_PASSWORD                     HTTP Basic
  SCIM_TOKEN_URL, SCIM_CLIENT_ID, SCIM_CLIENT_SECRET [, SCIM_SCOPE]   OAuth 2.0 client credentials
  SCIM_HEADER_NAME, SCIM_HEADER_VALUE              a custom header (API key)

Other options:
  --data-dir DIR       data folder (default: the app's; or SCIM_PORTER_DATA_DIR)
  --verbose            show the full raw server answer on errors, and every request
  --help, --version

Results go to stdout, progress and messages to stderr.
Ctrl+C stops safely: requests in flight finish and are recorded; press it twice to stop at once.
Exit codes: 0 ok, 1 failure, 2 usage error, 3 partly done (some items failed), 130 interrupted.
Run "scim-porter <command> --help" for a command's options.`;

const COMMAND_HELP: Record<string, string> = {
  connections: CONNECTIONS_HELP,
  discover: DISCOVER_HELP,
  export: EXPORT_HELP,
  get: GET_HELP,
  mapping: MAPPING_HELP,
  plan: PLAN_HELP,
  apply: APPLY_HELP,
  runs: RUNS_HELP,
  sandbox: SANDBOX_HELP,
};

/** Pulls the global flags out of argv, leaving the command's own arguments. */
function splitGlobal(argv: string[]): {
  rest: string[];
  dataDir?: string;
  verbose: boolean;
  help: boolean;
  version: boolean;
} {
  const rest: string[] = [];
  let dataDir: string | undefined;
  let verbose = false;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--data-dir') {
      dataDir = argv[++i];
      if (dataDir === undefined) throw new UsageError('--data-dir needs a folder.');
    } else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '--verbose') verbose = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--version' || a === '-v') version = true;
    else rest.push(a);
  }
  return { rest, ...(dataDir !== undefined ? { dataDir } : {}), verbose, help, version };
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(
  argv: string[],
  io: CliIo = createProcessIo(),
  stop?: AbortSignal,
): Promise<number> {
  let verbose = false;
  let engine: Engine | undefined;
  try {
    const g = splitGlobal(argv);
    verbose = g.verbose;
    const [command, ...args] = g.rest;
    if (g.version) {
      io.out(ENGINE_VERSION);
      return EXIT.ok;
    }
    if (!command || command === 'help') {
      io.out(HELP);
      return command || g.help ? EXIT.ok : EXIT.usage;
    }
    if (g.help) {
      const text = COMMAND_HELP[command];
      if (!text) throw new UsageError(`Unknown command "${command}".`);
      io.out(text);
      return EXIT.ok;
    }
    if (command === 'sandbox') return await runSandbox(args, io, stop);
    const dataDir = g.dataDir
      ? resolve(io.cwd, g.dataDir)
      : resolveDataDir(io.env, process.platform, homedir());
    engine = await createEngine({
      dataDir,
      secrets: createMemorySecretStore({}, { backend: 'environment variables', secure: true }),
      logger: createCliLogger(io, verbose),
    });
    switch (command) {
      case 'connections':
        return await runConnections(engine, args, io);
      case 'discover':
        return await runDiscover(engine, args, io);
      case 'export':
        return await runExport(engine, args, io, stop);
      case 'get':
        return await runGet(engine, args, io);
      case 'mapping':
        return await runMapping(engine, args, io);
      case 'plan':
        return await runPlan(engine, args, io, stop);
      case 'apply':
        return await runApply(engine, args, io, stop);
      case 'runs':
        return await runRuns(engine, args, io, stop);
      default:
        throw new UsageError(
          `Unknown command "${command}". Run "scim-porter --help" for the list.`,
        );
    }
  } catch (e) {
    if (stop?.aborted && isAppError(e) && e.code === 'cancelled') {
      io.err('Interrupted. Nothing was written: the partial output file was removed.');
      return EXIT_INTERRUPTED;
    }
    if (
      e instanceof UsageError ||
      (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(e.message);
      io.err('Run "scim-porter --help" for usage.');
      return EXIT.usage;
    }
    printError(io, toErrorPayload(e), verbose);
    return EXIT.failure;
  } finally {
    await engine?.dispose();
  }
}

/** The `scim-porter` binary: runs one command with Ctrl+C / SIGTERM handled (see interrupt.ts). */
export async function runCliInProcess(argv: string[]): Promise<number> {
  const io = createProcessIo();
  const interrupt = watchInterrupts(
    (line) => {
      io.err(line);
    },
    (code) => process.exit(code),
  );
  try {
    return await runCli(argv, io, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
