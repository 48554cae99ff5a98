import { createConnectionService } from '../../engine/connections/connection-service';
import { createProfileStore } from '../../engine/connections/profile-store';
import type { EngineHost } from '../../engine/host/engine-host';
import type { SecretStore } from '../../engine/ports';
import { USER_AGENT } from '../../engine/version';
import { createPlanRegistry } from '../../engine/workspace/plan-registry';

type Connections = ReturnType<typeof createConnectionService>;

/**
 * What e2e tests use to seed and inspect outside the UI (save a connection, open one to plan
 * against the sandbox, read a plan's summary). The engine itself runs in its own process; this
 * works in the test process on the same data folder, with the same secret store (which the
 * engine process reaches through main's ports) and the engine's live sandbox.
 */
export type SeedEngine = {
  sandbox(): { url: string; token: string } | undefined;
  connections: Pick<Connections, 'list' | 'open' | 'save'>;
  plans: { register: ReturnType<typeof createPlanRegistry>['register'] };
  /** Closes the plan readers `plans.register` opened. */
  close(): void;
};

export function createSeedEngine(
  dataDir: string,
  secrets: SecretStore,
  sandbox: { url: string; token: string } | undefined,
): SeedEngine {
  const connections = createConnectionService({
    profiles: createProfileStore(dataDir),
    secrets,
    userAgent: USER_AGENT,
    sandbox: () => sandbox,
  });
  const plans = createPlanRegistry(dataDir);
  return {
    sandbox: () => sandbox,
    connections,
    plans: { register: (file) => plans.register(file) },
    close: () => {
      plans.closeAll();
    },
  };
}

/** The sandbox's live address, as the engine process reports it for the Local sandbox profile. */
export async function liveSandboxUrl(host: EngineHost): Promise<string> {
  const listed = await host.dispatch('connections:list', {});
  const profiles = listed.ok ? (listed.value as { kind?: string; baseUrl?: string }[]) : [];
  const url = profiles.find((p) => p.kind === 'sandbox')?.baseUrl;
  if (!url)
    throw new Error(`The engine process reports no Local sandbox: ${JSON.stringify(listed)}`);
  return url;
}
