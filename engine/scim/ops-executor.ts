/**
 * The no-Bulk path as a first-class executor: each WriteOp as its own request through the transport
 * (which owns rate limits and adaptive concurrency), with the same OpResult shape as Bulk. `bulkId:`
 * references are resolved by running creators before the operations that reference them.
 * `executeOps` picks Bulk or singles from discovery and falls back to singles when the server turns
 * out not to support Bulk.
 */
import { isAppError, toErrorPayload } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import { lookupFilterFor } from '../../shared/scim/filter';
import type { ScimResource } from '../../shared/scim/types';
import { executeBulk } from './bulk';
import {
  bulkRefsOf,
  orderByDependencies,
  substituteBulkIds,
  type OpResult,
  type WriteOp,
} from './ops';
import { idFromLocation, normaliseResource, withVersionFromEtag } from './quirks/resource';
import { isRecord } from './read';
import { resourcePath } from './resources';
import type { ScimHttp } from './transport/types';

export type SinglesOptions = {
  /** Operations in flight at once (the transport may allow fewer). Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Normalises returned resources (default: no schema-based normalisation). */
  normalise?: (r: ScimResource, etag?: string) => ScimResource;
};

function failure(op: WriteOp, error: ErrorPayload): OpResult {
  return { opId: op.opId, ok: false, status: error.status ?? 0, error };
}

async function runOne(
  http: ScimHttp,
  op: WriteOp,
  ids: ReadonlyMap<string, string>,
  opts: SinglesOptions,
): Promise<OpResult> {
  const id = op.id === undefined ? undefined : substituteBulkIds(op.id, ids);
  if (id?.startsWith('bulkId:') === true) {
    return failure(op, {
      code: 'invalid_request',
      message: `Not sent: its target ${id} was never created.`,
    });
  }
  const data = op.data === undefined ? undefined : substituteBulkIds(op.data, ids);
  const path = id === undefined ? op.endpoint : resourcePath(op.endpoint, id);
  const lookupKey =
    op.lookupKey ??
    (op.method === 'POST' && isRecord(data) ? lookupFilterFor(data)?.text : undefined);
  try {
    const res = await http.request({
      method: op.method,
      path,
      ...(data !== undefined && op.method !== 'DELETE' ? { body: data } : {}),
      ...(op.version !== undefined ? { ifMatch: op.version } : {}),
      ...(lookupKey !== undefined ? { lookupKey } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const location = res.headers['location'];
    const raw = isRecord(res.body) ? (res.body as ScimResource) : undefined;
    const resource = raw ? (opts.normalise ?? withVersionFromEtag)(raw, res.etag) : undefined;
    const newId =
      (typeof resource?.id === 'string' ? resource.id : undefined) ??
      idFromLocation(location) ??
      id;
    const version = resource?.meta?.version ?? res.etag;
    return {
      opId: op.opId,
      ok: true,
      status: res.status,
      ...(newId !== undefined ? { id: newId } : {}),
      ...(location !== undefined
        ? { location }
        : resource?.meta?.location !== undefined
          ? { location: resource.meta.location }
          : {}),
      ...(version !== undefined ? { version } : {}),
      ...(resource ? { resource } : {}),
    };
  } catch (e) {
    if (isAppError(e) && e.code === 'cancelled') throw e;
    const error = toErrorPayload(e);
    return failure(op, {
      ...error,
      ...(lookupKey !== undefined && error.lookupKey === undefined ? { lookupKey } : {}),
    });
  }
}

/**
 * Executes each op as a single request, `concurrency` at a time. Creators run before the operations
 * that reference their bulkId; a reference to a failed creator fails without being sent, and a
 * reference cycle (only expressible inside one Bulk request) fails with a clear error.
 */
export async function executeSingles(
  http: ScimHttp,
  ops: readonly WriteOp[],
  opts: SinglesOptions = {},
): Promise<OpResult[]> {
  const units = orderByDependencies(ops);
  const results = new Map<string, OpResult>();
  const created = new Map<string, Promise<string | undefined>>();
  const settle = new Map<string, (id: string | undefined) => void>();
  const ids = new Map<string, string>();
  const queue: WriteOp[] = [];
  for (const unit of units) {
    if (unit.length > 1) {
      for (const op of unit) {
        results.set(
          op.opId,
          failure(op, {
            code: 'invalid_request',
            message:
              'Not sent: it is part of a circular bulkId reference, which only a single Bulk request can carry.',
          }),
        );
        if (op.bulkId !== undefined) created.set(op.bulkId, Promise.resolve(undefined));
      }
      continue;
    }
    const [op] = unit;
    if (!op) continue;
    if (op.method === 'POST' && op.bulkId !== undefined) {
      created.set(op.bulkId, new Promise((resolve) => settle.set(op.bulkId ?? '', resolve)));
    }
    queue.push(op);
  }

  const work = async (op: WriteOp): Promise<void> => {
    let result: OpResult;
    // Creators were queued earlier, so they are already running or done: no deadlock.
    const missing: string[] = [];
    for (const ref of bulkRefsOf(op)) {
      const wait = created.get(ref);
      if (!wait) continue;
      const id = await wait;
      if (id === undefined) missing.push(ref);
      else ids.set(ref, id);
    }
    if (missing.length > 0) {
      result = failure(op, {
        code: 'invalid_request',
        message: `Not sent: it refers to bulkId:${missing.join(', bulkId:')}, whose creation failed.`,
      });
    } else {
      result = await runOne(http, op, ids, opts);
    }
    results.set(op.opId, result);
    if (op.bulkId !== undefined) settle.get(op.bulkId)?.(result.ok ? result.id : undefined);
  };

  const limit = Math.max(1, Math.floor(opts.concurrency ?? 8));
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (;;) {
      const op = queue[next++];
      if (!op) return;
      try {
        await work(op);
      } catch (e) {
        // Cancellation: release anyone waiting on this creator, then stop this lane.
        if (op.bulkId !== undefined) settle.get(op.bulkId)?.(undefined);
        throw e;
      }
    }
  });
  await Promise.all(lanes);
  return ops.map(
    (op) =>
      results.get(op.opId) ??
      failure(op, { code: 'internal', message: 'The operation was not scheduled.' }),
  );
}

export type ExecuteOpsOptions = {
  concurrency?: number;
  failOnErrors?: number;
  signal?: AbortSignal;
};

/** What executeOps did: the results plus how they were sent. */
export type OpsRun = {
  results: OpResult[];
  via: 'bulk' | 'singles' | 'bulk+singles';
  bulkUnsupported?: ErrorPayload;
};

/**
 * Runs ops through /Bulk when discovery enabled it, else as single requests. Operations the server
 * refused as Bulk (404/501/"not supported", or too large for one request) run as singles instead.
 */
export async function executeOps(
  http: ScimHttp,
  discovery: DiscoveryResult,
  ops: readonly WriteOp[],
  opts: ExecuteOpsOptions = {},
): Promise<OpsRun> {
  const normalise = (r: ScimResource, etag?: string): ScimResource =>
    withVersionFromEtag(normaliseResource(r, discovery.schemas), etag);
  const singles: SinglesOptions = {
    normalise,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const bulk = discovery.effective.bulk;
  if (!bulk.enabled) return { results: await executeSingles(http, ops, singles), via: 'singles' };
  const run = await executeBulk(http, ops, {
    maxOperations: bulk.maxOperations,
    maxPayloadSize: bulk.maxPayloadSize,
    ...(opts.failOnErrors !== undefined ? { failOnErrors: opts.failOnErrors } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const normalised = run.results.map((r) =>
    r.resource ? { ...r, resource: normalise(r.resource, r.version) } : r,
  );
  // Operations refused as Bulk (feature unsupported, or too large for one Bulk request) were not
  // applied: run exactly those as singles.
  const retry = ops.filter((_, k) => normalised[k]?.error?.code === 'bulk_rejected');
  if (retry.length === 0) return { results: normalised, via: 'bulk' };
  const again = new Map((await executeSingles(http, retry, singles)).map((r) => [r.opId, r]));
  return {
    results: normalised.map((r) => again.get(r.opId) ?? r),
    via: again.size < ops.length ? 'bulk+singles' : 'singles',
    ...(run.unsupported ? { bulkUnsupported: run.unsupported } : {}),
  };
}
