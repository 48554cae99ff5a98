/**
 * Credentials for SCIM requests: static schemes (Bearer, Basic, a custom header) and OAuth 2.0
 * client credentials (RFC 6749 §4.4) with a cached, proactively refreshed, single-flight token.
 */
import { request, type Dispatcher } from 'undici';
import { AppError, ScimHttpError } from '../../../shared/errors/errors';
import { defaultRedactor, type Redactor } from '../../log/redact';
import { readScimError, type ErrorContext } from './http-errors';
import { errorFromFailure, RequestTimeoutError } from './network-errors';
import type { AuthConfig } from './types';

export type AuthProvider = {
  /** Headers to add to the next request (fetches an OAuth token first when needed). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called after a 401 with the headers that were rejected. Refreshes credentials when that can help
   * (OAuth: fetch a new token unless another request already did) and returns whether one retry
   * makes sense. Static credentials return false: resending them cannot succeed.
   */
  onUnauthorized(rejected: Record<string, string>, signal?: AbortSignal): Promise<boolean>;
};

type AuthDeps = {
  /** Used for the token endpoint, so TLS and proxy settings match the SCIM connection. */
  dispatcher?: Dispatcher;
  now?: () => number;
  redactor?: Redactor;
  userAgent?: string;
  timeoutMs?: number;
  /** The connection's proxy, so a failure to reach it is reported as the proxy's. */
  proxyUrl?: string;
};

/** RFC 7617 Basic credentials: base64 of UTF-8 `user:password` (charset="UTF-8", §2.1). */
export function basicCredentials(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Client authentication for the token endpoint: RFC 6749 §2.3.1 requires client id and secret to be
 * form-urlencoded (application/x-www-form-urlencoded) before they are joined for HTTP Basic.
 */
export function oauthClientBasic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(oauthClientPair(clientId, clientSecret), 'utf8').toString('base64')}`;
}

/** The `id:secret` pair (each form-urlencoded) whose base64 is the token endpoint's Basic value. */
export function oauthClientPair(clientId: string, clientSecret: string): string {
  const enc = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
  return `${enc(clientId)}:${enc(clientSecret)}`;
}

/** When to refresh: 60 s before expiry, or at 80 % of the lifetime for short-lived tokens. */
export function refreshAt(obtainedAt: number, expiresInSeconds: number): number {
  const lifetime = expiresInSeconds * 1000;
  return obtainedAt + lifetime - Math.min(60_000, lifetime * 0.2);
}

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function staticHeaders(auth: Exclude<AuthConfig, { kind: 'oauth2' }>): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${auth.token.trim()}` };
    case 'basic':
      return { authorization: basicCredentials(auth.username, auth.password) };
    case 'header': {
      if (!HEADER_TOKEN.test(auth.name)) {
        throw new AppError('config', `"${auth.name}" is not a valid HTTP header name.`);
      }
      if (/[\r\n\0]/.test(auth.value)) {
        throw new AppError(
          'config',
          `The value for the header "${auth.name}" contains a line break.`,
        );
      }
      return { [auth.name.toLowerCase()]: auth.value };
    }
  }
}

type Token = { value: string; refreshAt: number };

/** Builds the provider for a connection's auth settings. */
export function createAuthProvider(auth: AuthConfig, deps: AuthDeps = {}): AuthProvider {
  if (auth.kind !== 'oauth2') {
    const headers = staticHeaders(auth);
    return {
      headers: () => Promise.resolve({ ...headers }),
      onUnauthorized: () => Promise.resolve(false),
    };
  }
  const now = deps.now ?? Date.now;
  let token: Token | undefined;
  let inflight: Promise<Token> | undefined;

  const refresh = (signal?: AbortSignal): Promise<Token> => {
    // Single flight: every caller that needs a token while one is being fetched shares that fetch.
    inflight ??= fetchToken(auth, deps, now, signal).then(
      (t) => {
        token = t;
        inflight = undefined;
        return t;
      },
      (e: unknown) => {
        inflight = undefined;
        throw e;
      },
    );
    return inflight;
  };

  const current = async (signal?: AbortSignal): Promise<Token> => {
    if (token && now() < token.refreshAt) return token;
    return refresh(signal);
  };

  return {
    async headers(signal) {
      const t = await current(signal);
      return { authorization: `Bearer ${t.value}` };
    },
    async onUnauthorized(rejected, signal) {
      const used = rejected['authorization'];
      // Another request may already have replaced the rejected token; then just retry with the new one.
      if (token && used !== `Bearer ${token.value}`) return true;
      token = undefined;
      await refresh(signal);
      return true;
    },
  };
}

/**
 * The token endpoint answered a redirect. It is not followed: the client secret would go to an
 * address the admin never entered. Said as a redirect, not as refused credentials.
 */
function tokenRedirect(
  tokenUrl: string,
  status: number,
  location: string | undefined,
  redactor: Redactor,
): AppError {
  let target: string | undefined;
  try {
    target = location ? redactor.url(new URL(location, tokenUrl).toString()) : undefined;
  } catch {
    target = undefined;
  }
  return new ScimHttpError(
    `The OAuth token endpoint answered with a redirect (HTTP ${status}${target ? ` to ${target}` : ''}) instead of a token. SCIM Porter does not send the client secret on to another address.`,
    {
      status,
      method: 'POST',
      url: redactor.url(tokenUrl),
      nextStep: target
        ? `If ${target} is the right token endpoint, enter it as the token URL of the connection.`
        : 'Check the token URL of the connection.',
    },
    { code: 'auth' },
  );
}

/** The client-credentials request (RFC 6749 §4.4.2): its headers and form-urlencoded body. */
export function tokenRequest(
  auth: Extract<AuthConfig, { kind: 'oauth2' }>,
  userAgent?: string,
): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (userAgent) headers['user-agent'] = userAgent;
  if (auth.credentialsInBody) {
    // RFC 6749 §2.3.1 allows credentials in the body for servers that cannot read Basic.
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  } else {
    headers['authorization'] = oauthClientBasic(auth.clientId, auth.clientSecret);
  }
  return { headers, body: form.toString() };
}

/** The token endpoint's answer as received. */
type TokenAnswer = { status: number; text: string; location: string | undefined };

/**
 * Posts the token request under the connection's timeout and the caller's signal. A failure to
 * get an answer becomes the typed network error (a timeout named as one).
 */
async function postTokenRequest(
  tokenUrl: string,
  req: { headers: Record<string, string>; body: string },
  deps: AuthDeps,
  ctx: ErrorContext,
  signal?: AbortSignal,
): Promise<TokenAnswer> {
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new RequestTimeoutError(timeoutMs));
  }, timeoutMs);
  const onAbort = (): void => {
    controller.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(tokenUrl, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    });
    const where = res.headers['location'];
    const location = Array.isArray(where) ? where[0] : where;
    return { status: res.statusCode, location, text: await res.body.text() };
  } catch (e) {
    const reason: unknown = controller.signal.reason;
    throw errorFromFailure(reason instanceof RequestTimeoutError ? reason : e, {
      ...ctx,
      timeoutMs,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A non-2xx token answer: the refused client credentials, with the RFC 6749 §5.2 error kept. */
function tokenRefused(
  tokenUrl: string,
  answer: TokenAnswer,
  body: unknown,
  redactor: Redactor,
): ScimHttpError {
  const { status, text } = answer;
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof obj['error'] === 'string' ? obj['error'] : undefined;
  const description =
    typeof obj['error_description'] === 'string'
      ? obj['error_description']
      : readScimError(body).detail;
  const why = [code, description].filter(Boolean).join(': ');
  return new ScimHttpError(
    `The OAuth token endpoint refused the client credentials (HTTP ${status}${why ? `, ${redactor.text(why)}` : ''}).`,
    {
      status,
      method: 'POST',
      url: redactor.url(tokenUrl),
      ...(code ? { scimType: code } : {}),
      ...(description ? { detail: redactor.text(description) } : {}),
      raw: redactor.text(text).slice(0, 2048),
      nextStep: 'Check the client id, client secret, scope and token URL of the connection.',
    },
    { code: 'auth' },
  );
}

/**
 * The token a token endpoint's answer carries (remembered by the redactor), or the error the
 * answer amounts to: a redirect, refused credentials, or a 2xx without an access_token.
 */
export function tokenFromAnswer(
  tokenUrl: string,
  answer: TokenAnswer,
  startedAt: number,
  redactor: Redactor,
): Token {
  const { status, text } = answer;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (status >= 300 && status < 400)
    throw tokenRedirect(tokenUrl, status, answer.location, redactor);
  if (status < 200 || status >= 300) throw tokenRefused(tokenUrl, answer, body, redactor);
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const accessToken = obj['access_token'];
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new AppError('auth', 'The OAuth token endpoint answered without an access_token.', {
      status,
      method: 'POST',
      url: redactor.url(tokenUrl),
      raw: redactor.text(text).slice(0, 2048),
    });
  }
  redactor.remember(accessToken);
  const expiresIn = Number(obj['expires_in']);
  return {
    value: accessToken,
    // Without expires_in (it is only RECOMMENDED, RFC 6749 §5.1) keep the token until a 401.
    refreshAt:
      Number.isFinite(expiresIn) && expiresIn > 0
        ? refreshAt(startedAt, expiresIn)
        : Number.POSITIVE_INFINITY,
  };
}

async function fetchToken(
  auth: Extract<AuthConfig, { kind: 'oauth2' }>,
  deps: AuthDeps,
  now: () => number,
  signal?: AbortSignal,
): Promise<Token> {
  const redactor = deps.redactor ?? defaultRedactor;
  const req = tokenRequest(auth, deps.userAgent);
  const ctx: ErrorContext = {
    method: 'POST',
    url: auth.tokenUrl,
    redactor,
    ...(deps.proxyUrl ? { proxyUrl: deps.proxyUrl } : {}),
  };
  const startedAt = now();
  const answer = await postTokenRequest(auth.tokenUrl, req, deps, ctx, signal);
  return tokenFromAnswer(auth.tokenUrl, answer, startedAt, redactor);
}
