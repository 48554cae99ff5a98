/**
 * Writing resources: create (RFC 7644 §3.3), replace (§3.5.1), patch (§3.5.2, with a GET + PUT
 * fallback when the server lacks PATCH) and delete (§3.6), sending If-Match when ETags are supported.
 */
import { AppError } from '../../shared/errors/errors';
import { lookupFilterFor } from '../../shared/scim/filter';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { applyPatchLocally, buildPatchRequest } from './patch';
import { idFromLocation } from './quirks/resource';
import { isRecord } from './read';
import { resourcePath, signalOf, type ResourceContext } from './resource-context';
import { getResource } from './resource-read';
import type { CreateOptions, PatchOptions, WriteOptions } from './resources';

export async function createResource(
  ctx: ResourceContext,
  endpoint: string,
  resource: ScimResource,
  opts?: CreateOptions,
): Promise<ScimResource> {
  const lookupKey = opts?.lookupKey ?? lookupFilterFor(resource)?.text;
  const res = await ctx.http.request({
    method: 'POST',
    path: endpoint,
    body: resource,
    idempotent: false,
    ...(lookupKey !== undefined ? { lookupKey } : {}),
    ...signalOf(opts),
  });
  if (isRecord(res.body)) return ctx.fromResponse(res, `POST ${endpoint}`);
  // 201 with only a Location header: read the resource it names.
  const id = idFromLocation(res.headers['location']);
  if (id === undefined) {
    throw new AppError(
      'not_scim',
      `The server accepted POST ${endpoint} but returned neither the resource nor its Location.`,
      {
        status: res.status,
        url: res.url,
        ...(lookupKey !== undefined ? { lookupKey } : {}),
      },
    );
  }
  return getResource(ctx, endpoint, id, signalOf(opts));
}

export async function replaceResource(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  resource: ScimResource,
  opts?: WriteOptions,
): Promise<ScimResource> {
  // meta is server-owned (RFC 7643 §3.1, readOnly); some servers reject it in a PUT body.
  const { meta, ...body } = resource;
  const res = await ctx.http.request({
    method: 'PUT',
    path: resourcePath(endpoint, id),
    body,
    ...ctx.ifMatch(opts?.ifMatch ?? meta?.version),
    ...signalOf(opts),
  });
  return res.body === undefined
    ? getResource(ctx, endpoint, id, signalOf(opts))
    : ctx.fromResponse(res, `PUT ${endpoint}/${id}`);
}

/** PUT fallback (scim-client-rules.md "Writing"): GET → apply locally → PUT with If-Match. */
async function patchByReplace(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  operations: PatchOperation[],
  opts?: PatchOptions,
): Promise<ScimResource> {
  const current = await getResource(ctx, endpoint, id, signalOf(opts));
  const next = applyPatchLocally(current, operations);
  const version = opts?.ifMatch ?? current.meta?.version;
  return replaceResource(ctx, endpoint, id, next, {
    ...(version !== undefined ? { ifMatch: version } : {}),
    ...signalOf(opts),
  });
}

export async function patchResource(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  operations: PatchOperation[],
  opts?: PatchOptions,
): Promise<ScimResource | undefined> {
  const wantResource = opts?.returnResource ?? true;
  if (!ctx.discovery.effective.patch) return patchByReplace(ctx, endpoint, id, operations, opts);
  const res = await ctx.http.request({
    method: 'PATCH',
    path: resourcePath(endpoint, id),
    body: buildPatchRequest(operations),
    // PATCH with add may not be idempotent (RFC 7644 §3.5.2): never replayed blindly.
    idempotent: false,
    lookupKey: `id eq ${JSON.stringify(id)}`,
    ...ctx.ifMatch(opts?.ifMatch),
    ...signalOf(opts),
  });
  if (isRecord(res.body)) return ctx.fromResponse(res, `PATCH ${endpoint}/${id}`);
  // 204 No Content (Entra, many others): read it back only when the caller needs it.
  return wantResource ? getResource(ctx, endpoint, id, signalOf(opts)) : undefined;
}

export async function deleteResource(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  opts?: WriteOptions,
): Promise<void> {
  await ctx.http.request({
    method: 'DELETE',
    path: resourcePath(endpoint, id),
    ...ctx.ifMatch(opts?.ifMatch),
    ...signalOf(opts),
  });
}
