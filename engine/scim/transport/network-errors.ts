/**
 * Maps a failure below HTTP (socket, DNS, TLS, timeout) to a typed AppError and tells the retry
 * policy whether request bytes may already have reached the server.
 */
import { AppError } from '../../../shared/errors/errors';
import { defaultRedactor } from '../../log/redact';
import type { ErrorContext } from './http-errors';
import type { FailurePhase } from './retry';

/** Thrown internally when our own per-request timer fires. */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Request timed out after ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

type FailureInfo = {
  code: 'network' | 'tls' | 'timeout' | 'cancelled' | 'config';
  phase: FailurePhase;
  /** The low-level error code (ECONNREFUSED, CERT_HAS_EXPIRED, …) when there is one. */
  errno?: string;
};

/** Errors raised while connecting, so the request was certainly not sent. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'uses a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN:
    'presents a certificate chain ending in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'presents a certificate signed by an unknown certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'presents a certificate signed by an unknown certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'presents a certificate signed by an unknown certificate authority',
  CERT_UNTRUSTED: 'presents an untrusted certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'presents a certificate for a different host name',
  HOSTNAME_MISMATCH: 'presents a certificate for a different host name',
  CERT_HAS_EXPIRED: 'presents an expired certificate',
  CERT_NOT_YET_VALID: 'presents a certificate that is not valid yet',
  CERT_REVOKED: 'presents a revoked certificate',
  ERR_SSL_WRONG_VERSION_NUMBER:
    'does not speak TLS on this port (is it http:// rather than https://?)',
  EPROTO: 'failed the TLS handshake',
};

function errnoOf(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  // Happy-eyeballs connects (localhost → ::1 and 127.0.0.1) fail with an AggregateError whose
  // members carry the real codes.
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const inner = errnoOf(e.errors[0], depth + 1);
    if (inner) return inner;
  }
  if (typeof e.code === 'string' && e.code !== 'UND_ERR' && e.code !== 'ERR_INVALID_ARG_VALUE') {
    // Prefer the cause's OS code over undici's generic wrapper codes.
    if (e.code.startsWith('UND_ERR_SOCKET') || e.code === 'UND_ERR') {
      return errnoOf(e.cause, depth + 1) ?? e.code;
    }
    return e.code;
  }
  return errnoOf(e.cause, depth + 1);
}

/** Classifies a thrown failure for the retry policy and the error mapping. */
export function classifyFailure(err: unknown): FailureInfo {
  if (err instanceof RequestTimeoutError) return { code: 'timeout', phase: 'maybe-sent' };
  const errno = errnoOf(err);
  const name = err instanceof Error ? err.name : '';
  if (errno === 'UND_ERR_ABORTED' || name === 'AbortError')
    return { code: 'cancelled', phase: 'maybe-sent' };
  if (
    errno === 'UND_ERR_INVALID_ARG' ||
    errno === 'ERR_INVALID_CHAR' ||
    errno === 'ERR_INVALID_HTTP_TOKEN'
  ) {
    return { code: 'config', phase: 'before-send', errno };
  }
  if (
    errno &&
    (errno in TLS_CODES ||
      errno.startsWith('ERR_TLS_') ||
      errno.startsWith('ERR_SSL_') ||
      errno.includes('CERT'))
  ) {
    return { code: 'tls', phase: 'before-send', errno };
  }
  if (errno === 'UND_ERR_HEADERS_TIMEOUT' || errno === 'UND_ERR_BODY_TIMEOUT') {
    return { code: 'timeout', phase: 'maybe-sent', errno };
  }
  if (errno === 'UND_ERR_CONNECT_TIMEOUT') return { code: 'timeout', phase: 'before-send', errno };
  if (errno && CONNECT_CODES.has(errno)) return { code: 'network', phase: 'before-send', errno };
  // ECONNRESET, EPIPE, UND_ERR_SOCKET ("other side closed") and anything unknown: the request
  // may have been written, so only idempotent requests are replayed.
  return { code: 'network', phase: 'maybe-sent', ...(errno ? { errno } : {}) };
}

function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return u.port
      ? `${u.hostname}:${u.port}`
      : `${u.hostname}:${u.protocol === 'https:' ? 443 : 80}`;
  } catch {
    return url;
  }
}

function networkSentence(errno: string, where: string, host: string): string {
  const sentences: Record<string, string> = {
    ECONNREFUSED: `Nothing is listening at ${where}.`,
    ENOTFOUND: `The host name ${host} could not be found.`,
    EAI_FAIL: `The host name ${host} could not be found.`,
    EAI_AGAIN: `The host name ${host} could not be looked up right now (DNS did not answer).`,
    EHOSTUNREACH: `${where} cannot be reached from this network.`,
    ENETUNREACH: `${where} cannot be reached from this network.`,
    EHOSTDOWN: `${where} cannot be reached from this network.`,
    ECONNRESET: `The connection to ${where} was closed before the server answered.`,
    EPIPE: `The connection to ${where} was closed before the server answered.`,
    UND_ERR_SOCKET: `The connection to ${where} was closed before the server answered.`,
  };
  return sentences[errno] ?? `The connection to ${where} failed.`;
}

/**
 * Through a proxy, the only connection SCIM Porter opens is to the proxy (the proxy connects to the
 * server), so a refused, unresolvable or timed-out connect names the proxy, not the server.
 */
function proxyUnreachable(
  proxyUrl: string,
  errno: string,
  facts: { method: string; url: string },
  raw: string,
  opts: { cause: unknown },
): AppError {
  const where = hostPort(proxyUrl);
  const host = where.replace(/:\d+$/, '');
  const why =
    errno === 'UND_ERR_CONNECT_TIMEOUT'
      ? 'connecting to it timed out'
      : networkSentence(errno, where, host)
          .replace(/\.$/, '')
          .replace(/^./, (c) => c.toLowerCase());
  return new AppError(
    errno === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network',
    `The proxy ${where} could not be reached: ${why}.`,
    {
      ...facts,
      raw,
      nextStep: 'Check the proxy address of the connection (--proxy in the CLI), or remove it.',
    },
    opts,
  );
}

/** Builds the typed error for a failure below HTTP. */
export function errorFromFailure(
  err: unknown,
  ctx: ErrorContext & { timeoutMs?: number },
): AppError {
  const info = classifyFailure(err);
  const redactor = ctx.redactor ?? defaultRedactor;
  const where = hostPort(ctx.url);
  const host = where.replace(/:\d+$/, '');
  const facts = { method: ctx.method, url: redactor.url(ctx.url) };
  const rawMessage = err instanceof Error ? err.message : String(err);
  const raw = redactor.text([info.errno, rawMessage].filter(Boolean).join(': ')).slice(0, 500);
  const opts = { cause: err };
  switch (info.code) {
    case 'cancelled':
      return new AppError('cancelled', `${ctx.method} ${where} was cancelled.`, facts, opts);
    case 'config':
      return new AppError(
        'config',
        `The request could not be built: ${redactor.text(rawMessage)}`,
        { ...facts, raw },
        opts,
      );
    case 'timeout':
      if (ctx.proxyUrl !== undefined && info.errno === 'UND_ERR_CONNECT_TIMEOUT') {
        return proxyUnreachable(ctx.proxyUrl, info.errno, facts, raw, opts);
      }
      return new AppError(
        'timeout',
        info.errno === 'UND_ERR_CONNECT_TIMEOUT'
          ? `Connecting to ${where} timed out.`
          : `${where} did not answer ${ctx.method} in time${ctx.timeoutMs ? ` (${Math.round(ctx.timeoutMs / 1000)} s)` : ''}.`,
        { ...facts, raw },
        opts,
      );
    case 'tls': {
      const what = (info.errno && TLS_CODES[info.errno]) ?? 'failed the TLS check';
      return new AppError('tls', `The server at ${where} ${what}.`, { ...facts, raw }, opts);
    }
    case 'network': {
      if (ctx.proxyUrl !== undefined && info.phase === 'before-send') {
        return proxyUnreachable(ctx.proxyUrl, info.errno ?? '', facts, raw, opts);
      }
      let sentence = networkSentence(info.errno ?? '', where, host);
      if (info.errno === 'UND_ERR_SOCKET' && ctx.url.startsWith('http:')) {
        // A TLS server hangs up on plain HTTP without answering; say so, it is a common typo.
        sentence = `${sentence.replace(/\.$/, '')} (if the server uses TLS, the URL must start with https://).`;
      }
      return new AppError('network', sentence, { ...facts, raw }, opts);
    }
  }
}
