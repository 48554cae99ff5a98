import { join } from 'node:path';
import type { SandboxHandle } from '../sandbox';
import { startSandbox } from '../sandbox';
import { createConnectionService } from './connections/connection-service';
import { createProfileStore } from './connections/profile-store';
import {
  NO_DESKTOP,
  type DesktopPort,
  type EventSink,
  type Logger,
  type SecretStore,
} from './ports';
import { createFileGrants, type FileGrants } from './workspace/file-grants';
import { createJobRegistry, type JobRegistry } from './workspace/job-registry';
import { createPlanRegistry, type PlanRegistry } from './workspace/plan-registry';
import { ENGINE_VERSION, USER_AGENT } from './version';

type EngineOptions = {
  /** The app's data folder (Electron userData, or the CLI's resolved folder). */
  dataDir: string;
  secrets: SecretStore;
  emit?: EventSink;
  logger?: Logger;
  /** Native dialogs, taskbar progress and notifications (the app window; none for the CLI). */
  desktop?: DesktopPort;
  /**
   * `chosen`: the renderer may only name files the admin picked in a dialog or dropped (the app);
   * `any` (default): the CLI and tests.
   */
  fileAccess?: 'any' | 'chosen';
  /**
   * Start the built-in sandbox SCIM server (the app does; the CLI does not). `token`: its bearer
   * token, random when absent (the e2e harness chooses one so tests can seed the sandbox).
   */
  sandbox?: { enabled: boolean; port?: number; seed?: number; token?: string };
};

export type Engine = {
  /** Satisfies the ConnectionService contract, plus find/open for the CLI. */
  connections: ReturnType<typeof createConnectionService>;
  secrets: SecretStore;
  dataDir: string;
  version: string;
  logger: Logger | undefined;
  /** Events to the window (contract events only). */
  emit: EventSink;
  desktop: DesktopPort;
  /** Background jobs started from the UI (plan, apply, export, undo). */
  jobs: JobRegistry;
  /** Plans the UI has open, by id. */
  plans: PlanRegistry;
  /** Files the renderer may name. */
  files: FileGrants;
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
      ...(options.sandbox.token !== undefined ? { token: options.sandbox.token } : {}),
    });
    // A start that fails here (e.g. a damaged connections.json) must not leave the server up.
    await connections.ensureSandboxProfile().catch(async (e: unknown) => {
      await sandbox?.close();
      throw e;
    });
  }
  const desktop = options.desktop ?? NO_DESKTOP;
  const emit: EventSink = options.emit ?? (() => undefined);
  const jobs = createJobRegistry({ emit, desktop });
  const plans = createPlanRegistry(options.dataDir);
  const files = createFileGrants(options.fileAccess ?? 'any');
  return {
    emit,
    files,
    connections,
    desktop,
    jobs,
    plans,
    secrets: options.secrets,
    dataDir: options.dataDir,
    logger: options.logger,
    version: ENGINE_VERSION,
    sandbox: liveSandbox,
    async dispose() {
      await jobs.stopAll();
      plans.closeAll();
      await sandbox?.close();
      sandbox = undefined;
    },
  };
}
