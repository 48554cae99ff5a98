/** The SCIM answers that change how paging goes on (RFC 9865 §3.3, RFC 7644 §3.12). */
import { isAppError } from '../../shared/errors/errors';

function scimTypeOf(e: unknown): string | undefined {
  return isAppError(e) && e.facts.status === 400 ? e.facts.scimType : undefined;
}

/** True for RFC 9865 §3.3 cursor errors that a restart from the first page can cure. */
export function isCursorExpiry(e: unknown): boolean {
  const t = scimTypeOf(e);
  return t === 'expiredCursor' || t === 'invalidCursor';
}

/** True when the server refused the page size (RFC 9865 `invalidCount`, or `tooMany`). */
export function isCountRefused(e: unknown): boolean {
  const t = scimTypeOf(e);
  return t === 'invalidCount' || t === 'tooMany';
}
