import { fork } from 'node:child_process';
import type { EngineChild } from './engine-host';

type NodeEngineOptions = {
  /** Node flags for the child, e.g. `['--import', <tsx loader URL>]` to run the TypeScript entry. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
};

/**
 * Forks `entry` (engine-entry.ts, or its built bundle out/main/engine.js) as a Node child process
 * with structured-clone messages, the same serialisation as Electron's utilityProcess: the host
 * for tests, the e2e harness and benches. Its stdout and stderr are the parent's.
 */
export function forkEngineProcess(entry: string, options: NodeEngineOptions = {}): EngineChild {
  const child = fork(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: options.execArgv ?? [],
    ...(options.env ? { env: options.env } : {}),
  });
  let exitListener: ((code: number | null, signal: string | null) => void) | undefined;
  let ended = false;
  const end = (code: number | null, signal: string | null): void => {
    if (ended) return;
    ended = true;
    exitListener?.(code, signal);
  };
  child.once('exit', end);
  // A child that could not be started emits 'error' and may never emit 'exit'.
  child.on('error', () => {
    if (child.pid === undefined || child.exitCode !== null) end(child.exitCode, null);
  });
  return {
    post(message) {
      if (!child.connected) throw new Error('The engine process has exited.');
      child.send(message, () => undefined);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListener = listener;
    },
    kill() {
      child.kill();
    },
    get pid() {
      return ended ? undefined : child.pid;
    },
  };
}
