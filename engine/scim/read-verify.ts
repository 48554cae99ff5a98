/**
 * A resource read by id must be the resource asked for: some servers now and then answer
 * `GET /Users/{id}` with another user, and acting on that answer deactivates or deletes the wrong
 * person. The answer's `id` is compared with the id asked for (and, where the caller matched the
 * resource by a key, that key with the one it had) before anything acts on it.
 */
import { AppError } from '../../shared/errors/errors';
import type { ScimResource } from '../../shared/scim/types';

/** Throws `read_mismatch` unless `resource` carries the id that was asked for. */
export function assertReadById(
  endpoint: string,
  id: string,
  resource: ScimResource,
  facts: { status?: number; url?: string } = {},
): ScimResource {
  const got = typeof resource.id === 'string' ? resource.id : undefined;
  if (got === id) return resource;
  throw new AppError(
    'read_mismatch',
    got === undefined
      ? `GET ${endpoint}/${id} answered a resource without an id, so it cannot be told to be the one asked for; nothing is done with it.`
      : `GET ${endpoint}/${id} answered another resource (id ${got}) than the one asked for; nothing is done with it.`,
    { ...facts, raw: JSON.stringify({ id: got, userName: resource['userName'] }).slice(0, 500) },
  );
}

/** The userName of a resource, lower-cased (userName is caseExact false, RFC 7643 §4.1.1). */
function userNameOf(r: ScimResource): string | undefined {
  const v = r['userName'];
  return typeof v === 'string' ? v.trim().toLowerCase() : undefined;
}

/**
 * Throws `read_mismatch` when a re-read resource no longer carries the key it was matched by
 * (its userName): the answer is not the account the plan matched.
 */
export function assertSameKey(
  endpoint: string,
  matched: ScimResource,
  reread: ScimResource,
): ScimResource {
  const want = userNameOf(matched);
  const got = userNameOf(reread);
  if (want === undefined || got === want) return reread;
  throw new AppError(
    'read_mismatch',
    `GET ${endpoint}/${matched.id ?? '?'} answered userName "${String(reread['userName'])}", but the account matched was "${String(matched['userName'])}"; nothing is done with it.`,
  );
}
