import { AppError } from '../../../shared/errors/errors';
import type { ScimRequest } from './types';

/**
 * Encodes a query value for a SCIM URL. encodeURIComponent (not URLSearchParams) so spaces become
 * %20 rather than `+`: filters such as `userName eq "a b"` must reach servers that do not treat `+`
 * as a space (RFC 3986 §2.1), and a literal `+` in `ada+test@x` must stay a plus.
 */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Builds the request URL: base URL + path (RFC 7644 §3.13 relative endpoints) + encoded query.
 * An absolute `path` is accepted only on the base URL's origin (e.g. a `meta.location` the server
 * returned); anything else would send credentials to another host.
 */
export function buildRequestUrl(baseUrl: string, path: string, query?: ScimRequest['query']): URL {
  const base = new URL(baseUrl);
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    url = new URL(path);
    if (url.origin !== base.origin) {
      throw new AppError(
        'invalid_request',
        `The URL ${url.origin}${url.pathname} is not on the connection's server (${base.origin}); credentials are only sent to ${base.origin}.`,
      );
    }
  } else {
    const rel = path.startsWith('/') ? path : `/${path}`;
    url = new URL(`${baseUrl}${rel}`);
  }
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    pairs.push(`${encodeQueryValue(key)}=${encodeQueryValue(String(value))}`);
  }
  if (pairs.length > 0) {
    const existing = url.search.replace(/^\?/, '');
    url.search = `?${[existing, ...pairs].filter(Boolean).join('&')}`;
  }
  return url;
}
