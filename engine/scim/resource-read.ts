/** Reading one resource by id (RFC 7644 §3.4.1), checked to be the resource asked for. */
import { ScimHttpError } from '../../shared/errors/errors';
import type { ScimResource } from '../../shared/scim/types';
import { assertReadById } from './read-verify';
import { resourcePath, signalOf, type ResourceContext } from './resource-context';
import type { ReadOptions } from './resources';

/** The server answered that the resource does not exist. */
function isNotFound(e: unknown): boolean {
  return e instanceof ScimHttpError && e.status === 404;
}

export async function getResource(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  opts?: ReadOptions,
): Promise<ScimResource> {
  const res = await ctx.http.request({
    method: 'GET',
    path: resourcePath(endpoint, id),
    query: {
      attributes: opts?.attributes?.length ? opts.attributes.join(',') : undefined,
      excludedAttributes: opts?.excludedAttributes?.length
        ? opts.excludedAttributes.join(',')
        : undefined,
    },
    ...signalOf(opts),
  });
  return assertReadById(endpoint, id, ctx.fromResponse(res, `GET ${endpoint}/${id}`), {
    status: res.status,
    url: res.url,
  });
}

/** `getResource`, except that a 404 (RFC 7644 §3.12) is `undefined`. */
export async function findResource(
  ctx: ResourceContext,
  endpoint: string,
  id: string,
  opts?: ReadOptions,
): Promise<ScimResource | undefined> {
  try {
    return await getResource(ctx, endpoint, id, opts);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
