import type { ConnectionSettingsInput, ConnectionSummary } from '../../shared/connections/profile';
import type { DiscoveryResult } from '../../shared/scim/discovery-types';

/** Saved connection profiles; secrets go through the SecretStore port only. */
export type ConnectionService = {
  list(): Promise<ConnectionSummary[]>;
  /** Creates (no id) or updates a profile. `secret`: undefined keeps the stored one, null clears it. */
  save(input: {
    id?: string;
    settings: ConnectionSettingsInput;
    secret?: string | null;
  }): Promise<ConnectionSummary>;
  remove(id: string): Promise<void>;
  /** Runs discovery + probes against a saved profile or an unsaved draft. Throws AppError on failure. */
  test(
    input: { id: string } | { settings: ConnectionSettingsInput; secret?: string },
  ): Promise<DiscoveryResult>;
};
