import { flattenHeaders } from './send';
import type { ScimRequest } from './types';

/**
 * The headers of one SCIM attempt: what the client accepts, who it is, the body's type when there
 * is one, `If-Match`, the caller's own headers (lower-cased) and last the credentials, so no
 * caller header can replace them.
 */
export function requestHeaders(
  req: Pick<ScimRequest, 'ifMatch' | 'headers'>,
  body: string | undefined,
  userAgent: string,
  sentAuth: Record<string, string>,
): Record<string, string> {
  return {
    accept: 'application/scim+json, application/json',
    'user-agent': userAgent,
    ...(body !== undefined ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
    ...(req.ifMatch ? { 'if-match': req.ifMatch } : {}),
    ...flattenHeaders(req.headers ?? {}),
    ...sentAuth,
  };
}
