import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EngineChild } from '../../engine/host/engine-host';
import { forkEngineProcess } from '../../engine/host/node-child';

/** The engine process's entry point, as TypeScript source (the app runs its bundle, out/main/engine.js). */
const ENGINE_ENTRY = resolve(import.meta.dirname, '../../engine/host/engine-entry.ts');

/** tsx's loader, so a plain Node child can run the TypeScript entry without a build. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Forks the engine process from source with Node, the way main forks the built bundle as a
 * utilityProcess: for tests, the e2e harness and benches.
 */
export function forkSourceEngine(env?: NodeJS.ProcessEnv): EngineChild {
  return forkEngineProcess(ENGINE_ENTRY, {
    execArgv: ['--import', TSX_LOADER],
    ...(env ? { env } : {}),
  });
}
