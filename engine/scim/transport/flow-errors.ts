/**
 * Errors the transport raises about the request flow itself rather than about one answer:
 * an unknown outcome of a non-idempotent write, and a redirect it refuses to follow.
 */
import { AppError } from '../../../shared/errors/errors';
import type { Redactor } from '../../log/redact';

/**
 * A non-idempotent request (POST, PATCH) may have been applied but no usable answer came back.
 * SCIM has no idempotency key (RFC 7644; docs/server-behaviour.md, C3), so the caller must look
 * the resource up by `lookupKey` before trying again.
 */
export function outcomeUnknownError(
  method: string,
  url: URL,
  cause: AppError,
  redactor: Redactor,
  lookupKey?: string,
): AppError {
  const where = `${method} ${url.pathname}`;
  return new AppError(
    'outcome_unknown',
    `${where} was sent but no usable answer came back (${cause.message.replace(/\.$/, '')}), so it is not known whether the server applied it.`,
    {
      method,
      url: redactor.url(url.toString()),
      ...(cause.facts.status !== undefined ? { status: cause.facts.status } : {}),
      ...(lookupKey ? { lookupKey } : {}),
      ...(cause.facts.raw ? { raw: cause.facts.raw } : {}),
    },
    { cause },
  );
}

/**
 * A redirect the transport does not follow: to another origin (credentials must not travel
 * there), or for a write (replaying a body on redirect could apply it twice).
 */
export function redirectError(
  method: string,
  url: URL,
  target: URL,
  status: number,
  redactor: Redactor,
): AppError {
  const where = `${method} ${url.pathname}`;
  const crossOrigin = target.origin !== url.origin;
  return new AppError(
    'scim_http',
    crossOrigin
      ? `The server redirected ${where} to another origin (${target.origin}); SCIM Porter does not follow it, so no credentials were sent there.`
      : `The server redirected ${where} to ${target.pathname} (HTTP ${status}); SCIM Porter only follows redirects for reads.`,
    {
      status,
      method,
      url: redactor.url(url.toString()),
      detail: `Location: ${redactor.url(target.toString())}`,
      nextStep: crossOrigin
        ? `If ${target.origin} is the real SCIM endpoint, use that address as the base URL.`
        : 'Use the redirect target as the base URL, or check the server configuration.',
    },
  );
}
