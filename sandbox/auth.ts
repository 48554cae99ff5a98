import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * True when the request carries `Authorization: Bearer <token>` (RFC 6750 §2.1). Both sides are
 * hashed first so the comparison takes the same time whatever the length or content.
 */
export function hasBearerToken(headers: IncomingHttpHeaders, token: string): boolean {
  const header = headers.authorization;
  if (typeof header !== 'string') {
    return false;
  }
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = m?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}
