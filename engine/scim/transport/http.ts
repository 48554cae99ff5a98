/**
 * The SCIM transport: turns a ScimRequest into HTTP on the wire with auth, rate and concurrency
 * limits, safe retries, redirect rules and typed errors (see types.ts for the port).
 */
import type { Dispatcher } from 'undici';
import { createRedactor } from '../../log/redact';
import { silentLogger, withRedactor } from '../../log/logger';
import type { Logger } from '../../ports';
import { isQuotaForbidden, normaliseResponseBody, parseBody } from '../quirks/wire';
import { createConcurrencyLimiter, type SlotOutcome } from './adaptive-concurrency';
import { createAuthProvider, oauthClientPair } from './auth';
import { normaliseBaseUrl } from './base-url';
import { createDispatcher } from './dispatcher';
import { outcomeUnknownError, redirectError } from './flow-errors';
import { errorFromResponse, notScimError, type ErrorContext } from './http-errors';
import { classifyFailure, errorFromFailure } from './network-errors';
import { bucketOf, createPacing, type WaitCause } from './pacing';
import { buildRequestUrl } from './request-url';
import {
  DEFAULT_RETRY,
  decideRetry,
  isIdempotentMethod,
  parseRetryAfter,
  type RetrySettings,
} from './retry';
import { flattenHeaders, sendOnce, type WireAnswer } from './send';
import { realSleep, type Sleep } from './timers';
import type {
  AuthConfig,
  ScimHttp,
  ScimRequest,
  ScimResponse,
  TransportOptions,
  TransportStats,
} from './types';

export type ScimHttpDeps = {
  logger?: Logger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** Injected dispatcher (not closed by `close()`); default: one built from the options. */
  dispatcher?: Dispatcher;
};

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Wire = WireAnswer;

/** What one attempt produced; the loop in `request` decides what happens next. */
type Attempt =
  | { kind: 'answer'; wire: Wire; sentAuth: Record<string, string> }
  | { kind: 'failure'; error: unknown };

function secretsOf(auth: AuthConfig): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'bearer':
      return [auth.token];
    case 'basic':
      // The pair too: a server that echoes the Basic credential without its scheme echoes the
      // base64 of `user:password`, which the redactor scrubs for every literal it knows.
      return [auth.password, `${auth.username}:${auth.password}`];
    case 'oauth2':
      return [auth.clientSecret, oauthClientPair(auth.clientId, auth.clientSecret)];
    case 'header':
      return [auth.value];
  }
}

function proxySecret(proxyUrl: string | undefined): string[] {
  if (!proxyUrl) return [];
  try {
    const { username, password } = new URL(proxyUrl);
    if (!password) return [];
    const plain = decodeURIComponent(password);
    return [plain, `${decodeURIComponent(username)}:${plain}`];
  } catch {
    return [];
  }
}

/** 429, 503 and quota-403 answers: the server is shedding load and did not process the request. */
function isThrottle(wire: Wire): boolean {
  return wire.status === 429 || wire.status === 503 || isQuotaForbidden(wire.status, wire.text);
}

/** Creates the transport for one connection. `close()` releases its sockets. */
export function createScimHttp(options: TransportOptions, deps: ScimHttpDeps = {}): ScimHttp {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const redactor = createRedactor({
    secrets: [...secretsOf(options.auth), ...proxySecret(options.proxyUrl)],
    secretHeaders: options.auth.kind === 'header' ? [options.auth.name] : [],
  });
  const logger = withRedactor(deps.logger ?? silentLogger, redactor);
  const dispatcher = deps.dispatcher ?? createDispatcher(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const userAgent = options.userAgent ?? 'SCIM-Porter';
  const auth = createAuthProvider(options.auth, {
    dispatcher,
    now,
    redactor,
    userAgent,
    timeoutMs,
    ...(options.proxyUrl ? { proxyUrl: options.proxyUrl } : {}),
  });
  const pacing = createPacing({
    ...(options.maxRequestsPerSecond !== undefined
      ? { maxRequestsPerSecond: options.maxRequestsPerSecond }
      : {}),
    now,
    sleep,
  });
  const basePath = new URL(baseUrl).pathname;
  const slots = createConcurrencyLimiter({ maxConcurrency: options.maxConcurrency ?? 8 });
  const retry: RetrySettings = {
    maxRetries: options.retry?.maxRetries ?? DEFAULT_RETRY.maxRetries,
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
  const counters = { requests: 0, retries: 0, throttled: 0, failures: 0 };
  let closing: Promise<void> | undefined;

  async function attempt(url: URL, req: ScimRequest, body: string | undefined): Promise<Attempt> {
    const sentAuth = await auth.headers(req.signal);
    const headers: Record<string, string> = {
      accept: 'application/scim+json, application/json',
      'user-agent': userAgent,
      ...(body !== undefined ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
      ...(req.ifMatch ? { 'if-match': req.ifMatch } : {}),
      ...flattenHeaders(req.headers ?? {}),
      ...sentAuth,
    };
    try {
      const wire = await sendOnce(url, {
        dispatcher,
        method: req.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: req.timeoutMs ?? timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      return { kind: 'answer', wire, sentAuth };
    } catch (error) {
      return { kind: 'failure', error };
    }
  }

  async function run<T>(req: ScimRequest): Promise<ScimResponse<T>> {
    let url = buildRequestUrl(baseUrl, req.path, req.query);
    const idempotent = req.idempotent ?? isIdempotentMethod(req.method);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const ctx = (): ErrorContext => ({
      method: req.method,
      url: url.toString(),
      redactor,
      ...(options.proxyUrl ? { proxyUrl: options.proxyUrl } : {}),
    });
    let retries = 0;
    let reauthorised = false;
    let redirects = 0;
    for (;;) {
      const path = url.pathname.startsWith(basePath)
        ? url.pathname.slice(basePath.length)
        : url.pathname;
      const bucket = bucketOf(req.method, path);
      const sentAt = await pacing.acquire(bucket, req.signal);
      const slot = await slots.acquire(req.signal);
      let slotOutcome: SlotOutcome = 'neutral';
      let result: Attempt;
      const started = now();
      try {
        result = await attempt(url, req, body);
        if (result.kind === 'answer') {
          const { status, text, headers } = result.wire;
          const limited = status === 429 || isQuotaForbidden(status, text);
          pacing.answered(bucket, sentAt, { throttled: limited, headers });
          // A rate limit is the pacing's to learn (halving slots cannot bound a rate: one slot
          // at loopback latency exceeds any SaaS cap); an overloaded server (503) sheds slots.
          if (isThrottle(result.wire)) slotOutcome = limited ? 'neutral' : 'throttled';
          else if (status < 500) slotOutcome = 'success';
        } else pacing.lost(bucket);
      } finally {
        slot.release(slotOutcome);
      }

      if (result.kind === 'failure') {
        if (req.signal?.aborted) throw errorFromFailure(req.signal.reason ?? result.error, ctx());
        const info = classifyFailure(result.error);
        logger.log('debug', 'request failed', {
          method: req.method,
          url: redactor.url(url.toString()),
          errno: info.errno,
          code: info.code,
        });
        if (info.code === 'tls' || info.code === 'config' || info.code === 'cancelled') {
          throw errorFromFailure(result.error, { ...ctx(), timeoutMs });
        }
        const decision = decideRetry(
          { kind: 'failure', phase: info.phase },
          retries,
          idempotent,
          retry,
          random(),
        );
        if (decision.action === 'unknown')
          throw outcomeUnknownError(
            req.method,
            url,
            errorFromFailure(result.error, { ...ctx(), timeoutMs }),
            redactor,
            req.lookupKey,
          );
        if (decision.action === 'fail')
          throw errorFromFailure(result.error, { ...ctx(), timeoutMs });
        await backoff(decision.delayMs, retries, req, url, info.code, 'unreachable');
        retries += 1;
        continue;
      }

      const { wire } = result;
      logger.log('debug', 'request', {
        method: req.method,
        url: redactor.url(url.toString()),
        status: wire.status,
        ms: now() - started,
      });
      if (wire.status >= 200 && wire.status < 300) return success<T>(wire, url, req);

      if (REDIRECTS.has(wire.status) && wire.headers['location']) {
        const target = new URL(wire.headers['location'], url);
        if (req.method === 'GET' && target.origin === url.origin && redirects < MAX_REDIRECTS) {
          redirects += 1;
          url = target;
          continue;
        }
        throw redirectError(req.method, url, target, wire.status, redactor);
      }

      if (wire.status === 401 && !reauthorised) {
        reauthorised = true;
        if (await auth.onUnauthorized(result.sentAuth, req.signal)) continue;
      }

      const retryAfterMs = parseRetryAfter(wire.headers['retry-after'], now());
      // A quota 403 (quirk: quota-as-403) is throttling in disguise: retry it like a 429.
      const status = isQuotaForbidden(wire.status, wire.text) ? 429 : wire.status;
      if (status === 429) {
        counters.throttled += 1;
        pacing.count('rateLimited');
      }
      if (isThrottle(wire) && retryAfterMs !== undefined) {
        // The server asked everyone to wait, not just this request.
        pacing.pauseUntil(now() + retryAfterMs);
      }
      const decision = decideRetry(
        {
          kind: 'response',
          status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
        retries,
        idempotent,
        retry,
        random(),
      );
      if (decision.action === 'retry') {
        const cause: WaitCause = status === 429 ? 'rate-limit' : 'unreachable';
        await backoff(decision.delayMs, retries, req, url, `HTTP ${wire.status}`, cause);
        retries += 1;
        continue;
      }
      const error = errorFromResponse(wire, ctx(), now());
      // A conditional write retried after a 5xx or a lost answer and now refused with 412: the
      // earlier attempt may have been applied (and moved the version), so the outcome is unknown.
      if (wire.status === 412 && retries > 0 && req.ifMatch !== undefined)
        throw outcomeUnknownError(req.method, url, error, redactor, req.lookupKey);
      if (decision.action === 'unknown')
        throw outcomeUnknownError(req.method, url, error, redactor, req.lookupKey);
      throw error;
    }
  }

  async function backoff(
    delayMs: number,
    retries: number,
    req: ScimRequest,
    url: URL,
    why: string,
    cause: WaitCause,
  ): Promise<void> {
    counters.retries += 1;
    if (cause === 'unreachable') pacing.count('retried');
    logger.log(delayMs >= 5000 ? 'warn' : 'debug', 'retrying request', {
      method: req.method,
      url: redactor.url(url.toString()),
      why,
      attempt: retries + 1,
      delayMs,
    });
    const done = pacing.waiting(cause, now() + delayMs, retries + 1);
    try {
      await sleep(delayMs, req.signal);
    } finally {
      done();
    }
  }

  function success<T>(wire: Wire, url: URL, req: ScimRequest): ScimResponse<T> {
    const parsed = parseBody(wire.text, wire.headers['content-type']);
    if (parsed.kind === 'not-json') {
      throw notScimError(wire.status, parsed, {
        method: req.method,
        url: url.toString(),
        redactor,
      });
    }
    const etag = wire.headers['etag'];
    return {
      status: wire.status,
      headers: wire.headers,
      body: parsed.kind === 'json' ? (normaliseResponseBody(parsed.value) as T) : undefined,
      ...(etag ? { etag } : {}),
      url: redactor.url(url.toString()),
    };
  }

  return {
    baseUrl,
    async request<T = unknown>(req: ScimRequest): Promise<ScimResponse<T>> {
      counters.requests += 1;
      try {
        return await run<T>(req);
      } catch (e) {
        counters.failures += 1;
        throw e;
      }
    },
    stats(): TransportStats {
      return { ...counters, concurrency: slots.limit() };
    },
    pacing: () => pacing.stats(),
    close() {
      // Idempotent: discovery and the connection both close the transports they opened.
      closing ??= deps.dispatcher ? Promise.resolve() : dispatcher.close();
      return closing;
    },
  };
}
