/**
 * The SCIM client facade the CLI and the app call: resource operations, streaming lists and write
 * execution (Bulk or singles), all bound to one connection's transport and discovery result.
 */
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import type { ResourceTypeInfo } from '../../shared/scim/types';
import { executeBulk, type BulkOptions, type BulkRun } from './bulk';
import type { OpResult, WriteOp } from './ops';
import {
  executeOps,
  executeSingles,
  type ExecuteOpsOptions,
  type OpsRun,
  type SinglesOptions,
} from './ops-executor';
import { createResourceClient, type ResourceClient } from './resources';
import type { ScimHttp } from './transport/types';

export type ScimClient = ResourceClient & {
  readonly http: ScimHttp;
  readonly discovery: DiscoveryResult;
  /** The resource type served at an endpoint or named so (case-insensitive), e.g. "Users" or "User". */
  resourceType(endpointOrName: string): ResourceTypeInfo | undefined;
  /** Runs writes through Bulk when enabled, else as singles (see ops-executor.ts). */
  execute(ops: readonly WriteOp[], opts?: ExecuteOpsOptions): Promise<OpsRun>;
  /** Forces Bulk with explicit limits (tests, tuning). */
  executeBulk(ops: readonly WriteOp[], opts?: Partial<BulkOptions>): Promise<BulkRun>;
  /** Forces single requests. */
  executeSingles(ops: readonly WriteOp[], opts?: SinglesOptions): Promise<OpResult[]>;
};

/** Creates the client for one open connection. */
export function createScimClient({
  http,
  discovery,
}: {
  http: ScimHttp;
  discovery: DiscoveryResult;
}): ScimClient {
  const resources = createResourceClient(http, discovery);
  return {
    ...resources,
    http,
    discovery,
    resourceType(endpointOrName) {
      const wanted = endpointOrName.replace(/^\/+/, '').toLowerCase();
      return discovery.resourceTypes.find(
        (rt) =>
          rt.endpoint.replace(/^\/+/, '').toLowerCase() === wanted ||
          rt.name.toLowerCase() === wanted,
      );
    },
    execute: (ops, opts) => executeOps(http, discovery, ops, opts),
    executeBulk: (ops, opts) =>
      executeBulk(http, ops, {
        maxOperations: opts?.maxOperations ?? discovery.effective.bulk.maxOperations,
        maxPayloadSize: opts?.maxPayloadSize ?? discovery.effective.bulk.maxPayloadSize,
        ...(opts?.failOnErrors !== undefined ? { failOnErrors: opts.failOnErrors } : {}),
        ...(opts?.signal ? { signal: opts.signal } : {}),
      }),
    executeSingles: (ops, opts) =>
      executeSingles(http, ops, { normalise: resources.normalise, ...opts }),
  };
}
