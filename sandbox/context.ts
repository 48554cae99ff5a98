/** Per-request context shared by the route handlers and /Bulk. */
import type { ScimResource } from '../shared/scim/types';
import type { CursorCodec } from './cursor';
import type { SandboxFeatures } from './features';
import { renderResource } from './render';
import { SandboxError } from './sandbox-error';
import type { SandboxResourceType } from './schemas';
import type { SandboxStore, StoredRecord } from './store';

export type SandboxContext = {
  store: SandboxStore;
  features: SandboxFeatures;
  codec: CursorCodec;
  now: () => number;
  /** e.g. `http://127.0.0.1:4321/scim/v2` */
  baseUrl: string;
};

export const ENDPOINTS: Record<string, SandboxResourceType> = { Users: 'User', Groups: 'Group' };

/** Full representation of a record for this request (ETag stripped when ETags are off). */
export function present(ctx: SandboxContext, r: StoredRecord): ScimResource {
  const out = renderResource(ctx.store, r, ctx.baseUrl);
  if (!ctx.features.etag && out.meta !== undefined) {
    delete out.meta.version;
  }
  return out;
}

/** The ETag header value for a record, when ETags are on. */
export function etagHeader(ctx: SandboxContext, r: StoredRecord): Record<string, string> {
  return ctx.features.etag ? { ETag: `W/"${r.rev}"` } : {};
}

/**
 * The If-Match value to enforce: undefined when ETags are off (the header is ignored), 428 when
 * the server requires one and none came (RFC 6585 §3).
 */
function ifMatchFor(ctx: SandboxContext, header: string | undefined): string | undefined {
  if (!ctx.features.etag) {
    return undefined;
  }
  if (header === undefined && ctx.features.requireIfMatch) {
    throw new SandboxError(
      428,
      'This server requires If-Match with the resource version on every write.',
    );
  }
  return header;
}

/** Result of one write, used by the HTTP routes and by /Bulk. */
type WriteResult = { status: number; record?: StoredRecord };

/** Applies one POST/PUT/PATCH/DELETE to the store. */
export function performWrite(
  ctx: SandboxContext,
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  type: SandboxResourceType,
  id: string | undefined,
  body: unknown,
  ifMatchHeader: string | undefined,
): WriteResult {
  if (method === 'POST') {
    if (id !== undefined) {
      throw new SandboxError(405, 'POST goes to the collection, not to a resource.');
    }
    const created = ctx.store.create(type, body);
    return { status: 201, record: mustRecord(ctx, type, created.id) };
  }
  if (id === undefined) {
    throw new SandboxError(405, `${method} needs a resource id in the path.`);
  }
  if (ctx.store.record(type, id) === undefined) {
    throw new SandboxError(404, `${type} ${id} not found.`);
  }
  const ifMatch = ifMatchFor(ctx, ifMatchHeader);
  if (method === 'DELETE') {
    ctx.store.remove(type, id, { ifMatch });
    return { status: 204 };
  }
  if (method === 'PATCH') {
    if (!ctx.features.patch) {
      throw new SandboxError(501, 'PATCH is not supported by this server.');
    }
    ctx.store.patch(type, id, body, { ifMatch });
  } else {
    ctx.store.replace(type, id, body, { ifMatch });
  }
  return { status: 200, record: mustRecord(ctx, type, id) };
}

function mustRecord(
  ctx: SandboxContext,
  type: SandboxResourceType,
  id: string | undefined,
): StoredRecord {
  const r = id === undefined ? undefined : ctx.store.record(type, id);
  if (r === undefined) {
    throw new SandboxError(500, 'The resource vanished while being written.');
  }
  return r;
}
