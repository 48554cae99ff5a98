import { join } from 'node:path';
import type { SandboxHandle } from './sandbox';
import { startSandbox } from './sandbox';
import { createConnectionService } from './connections/connection-service';
import { createProfileStore } from './connections/profile-store';
import type { EventSink, Logger, SecretStore } from './ports';
import { ENGINE_VERSION, USER_AGENT } from './version';

export type EngineOptions = {
  /** The app's data folder (Electron userData, or the CLI's resolved folder). */
  dataDir: string;
  secrets: SecretStore;
  emit?: EventSink;
  logger?: Logger;
  /** Start the built-in sandbox SCIM server (the app does; the CLI does not). */
  sandbox?: { enabled: boolean; port?: number; seed?: number };
};

export type Engine = {
  /** Satisfies the ConnectionService contract, plus find/open for the CLI. */
  connections: ReturnType<typeof createConnectionService>;
  secrets: SecretStore;
  dataDir: string;
  version: string;
  logger: Logger | undefined;
  /** Live address of the sandbox, when it runs. */
  sandbox(): { url: string; token: string } | undefined;
  dispose(): Promise<void>;
};

/** Composition root: builds every engine service from the ports the shell supplies. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  let sandbox: SandboxHandle | undefined;
  const liveSandbox = () => (sandbox ? { url: sandbox.url, token: sandbox.token } : undefined);
  const connections = createConnectionService({
    profiles: createProfileStore(options.dataDir),
    secrets: options.secrets,
    userAgent: USER_AGENT,
    sandbox: liveSandbox,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  if (options.sandbox?.enabled) {
    sandbox = await startSandbox({
      port: options.sandbox.port ?? 0,
      dataDir: join(options.dataDir, 'sandbox'),
      ...(options.sandbox.seed !== undefined ? { seed: options.sandbox.seed } : {}),
    });
    await connections.ensureSandboxProfile();
  }
  return {
    connections,
    secrets: options.secrets,
    dataDir: options.dataDir,
    logger: options.logger,
    version: ENGINE_VERSION,
    sandbox: liveSandbox,
    async dispose() {
      await sandbox?.close();
      sandbox = undefined;
    },
  };
}
