/**
 * /Bulk (RFC 7644 §3.7): limits enforced with 413 `tooMany` (§3.7.4), `bulkId` references
 * resolved in paths and data (§3.7.2, with deferral so an operation may refer to a POST later in
 * the request), `failOnErrors` (§3.7.3), and a per-operation status.
 */
import { URN } from '../shared/scim/urns';
import { isRecord } from './attribute-resolver';
import { ENDPOINTS, performWrite, type SandboxContext } from './context';
import { errorBody } from './http-io';
import { SandboxError, badRequest } from './sandbox-error';
import type { SandboxResourceType } from './schemas';

type BulkOp = {
  index: number;
  method: string;
  path: string;
  bulkId: string | undefined;
  version: string | undefined;
  data: unknown;
};

const BULK_REF = /^bulkId:(.+)$/;

function referencesIn(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value) ?? /\/bulkId:([^/]+)$/.exec(value);
    if (m?.[1] !== undefined) {
      out.add(m[1]);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) {
      referencesIn(v, out);
    }
  } else if (isRecord(value)) {
    for (const v of Object.values(value)) {
      referencesIn(v, out);
    }
  }
  return out;
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/bulkId:([^/"]+)$/, (whole, ref: string) => ids.get(ref) ?? whole);
  }
  if (Array.isArray(value)) {
    return value.map((v) => substitute(v, ids));
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  }
  return value;
}

function readOps(
  body: unknown,
  maxOperations: number,
): { ops: BulkOp[]; failOnErrors: number | undefined } {
  if (!isRecord(body) || !Array.isArray(body.schemas) || !body.schemas.includes(URN.bulkRequest)) {
    throw badRequest(
      'invalidSyntax',
      `A bulk request must have "schemas": ["${URN.bulkRequest}"].`,
    );
  }
  if (!Array.isArray(body.Operations)) {
    throw badRequest('invalidSyntax', 'A bulk request must have an "Operations" array.');
  }
  if (body.Operations.length > maxOperations) {
    throw new SandboxError(
      413,
      `The bulk request has ${body.Operations.length} operations; the maximum is ${maxOperations}.`,
      'tooMany',
    );
  }
  const failOnErrors = body.failOnErrors;
  if (
    failOnErrors !== undefined &&
    (!Number.isInteger(failOnErrors) || (failOnErrors as number) < 1)
  ) {
    throw badRequest('invalidValue', '"failOnErrors" must be a positive integer.');
  }
  const ops = (body.Operations as unknown[]).map((raw, index): BulkOp => {
    const op = isRecord(raw) ? raw : {};
    return {
      index,
      method: typeof op.method === 'string' ? op.method.toUpperCase() : '',
      path: typeof op.path === 'string' ? op.path : '',
      bulkId: typeof op.bulkId === 'string' ? op.bulkId : undefined,
      version: typeof op.version === 'string' ? op.version : undefined,
      data: op.data,
    };
  });
  return { ops, failOnErrors: failOnErrors as number | undefined };
}

function parsePath(path: string): { type: SandboxResourceType; id: string | undefined } {
  const m = /^\/?(Users|Groups)(?:\/([^/]+))?$/.exec(path);
  const type = m?.[1] !== undefined ? ENDPOINTS[m[1]] : undefined;
  if (type === undefined) {
    throw badRequest(
      'invalidPath',
      `Bulk path "${path}" must be /Users, /Groups or /Users|Groups/{id}.`,
    );
  }
  return { type, id: m?.[2] };
}

/** Runs a bulk request and returns the BulkResponse body. */
export function runBulk(ctx: SandboxContext, body: unknown): Record<string, unknown> {
  const { ops, failOnErrors } = readOps(body, ctx.features.bulkMaxOperations);
  const ids = new Map<string, string>();
  const pendingBulkIds = new Set(
    ops.flatMap((o) => (o.method === 'POST' && o.bulkId !== undefined ? [o.bulkId] : [])),
  );
  const results: Record<string, unknown>[] = [];
  let errors = 0;
  let pending = ops;

  const run = (op: BulkOp): void => {
    const base = { method: op.method, ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}) };
    try {
      if (
        op.method !== 'POST' &&
        op.method !== 'PUT' &&
        op.method !== 'PATCH' &&
        op.method !== 'DELETE'
      ) {
        throw badRequest(
          'invalidSyntax',
          `Operations[${op.index}].method must be POST, PUT, PATCH or DELETE.`,
        );
      }
      if (op.method === 'POST' && op.bulkId === undefined) {
        throw badRequest(
          'invalidSyntax',
          `Operations[${op.index}]: POST needs a "bulkId" (RFC 7644 §3.7).`,
        );
      }
      const unresolved = [...referencesIn([op.path, op.data], new Set())].filter(
        (b) => !ids.has(b),
      );
      if (unresolved.length > 0) {
        throw new SandboxError(
          409,
          `bulkId "${unresolved.join('", "')}" could not be resolved.`,
          'invalidValue',
        );
      }
      const { type, id } = parsePath(String(substitute(op.path, ids)));
      const result = performWrite(ctx, op.method, type, id, substitute(op.data, ids), op.version);
      if (op.method === 'POST' && op.bulkId !== undefined && result.record !== undefined) {
        ids.set(op.bulkId, result.record.id);
      }
      const r = result.record;
      results.push({
        ...base,
        ...(r !== undefined
          ? { location: `${ctx.baseUrl}/${type === 'User' ? 'Users' : 'Groups'}/${r.id}` }
          : {}),
        ...(r !== undefined && ctx.features.etag ? { version: `W/"${r.rev}"` } : {}),
        status: String(result.status),
      });
    } catch (e) {
      errors++;
      const status = e instanceof SandboxError ? e.status : 500;
      const detail =
        e instanceof SandboxError ? e.message : 'The operation failed inside the sandbox.';
      const scimType = e instanceof SandboxError ? e.scimType : undefined;
      results.push({
        ...base,
        status: String(status),
        response: errorBody(status, detail, scimType),
      });
    } finally {
      if (op.bulkId !== undefined) {
        pendingBulkIds.delete(op.bulkId);
      }
    }
  };

  // Passes: run every operation whose references are resolvable now; defer those waiting on a
  // POST later in the request. A pass without progress means a cycle: run the rest to fail them.
  while (pending.length > 0) {
    const deferred: BulkOp[] = [];
    let progressed = false;
    for (const op of pending) {
      if (failOnErrors !== undefined && errors >= failOnErrors) {
        return response(results);
      }
      const waiting = [...referencesIn([op.path, op.data], new Set())].some(
        (b) => !ids.has(b) && pendingBulkIds.has(b) && b !== op.bulkId,
      );
      if (waiting) {
        deferred.push(op);
        continue;
      }
      run(op);
      progressed = true;
    }
    if (!progressed) {
      for (const op of deferred) {
        if (failOnErrors !== undefined && errors >= failOnErrors) {
          break;
        }
        run(op);
      }
      break;
    }
    pending = deferred;
  }
  return response(results);
}

function response(results: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [URN.bulkResponse], Operations: results };
}
