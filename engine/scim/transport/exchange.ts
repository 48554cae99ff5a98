/**
 * One SCIM request through the connection's limits: each attempt waits for the pacing and a
 * concurrency slot, then the answer (or the failure) decides what happens next: done, follow a
 * redirect, re-authorise once after a 401, back off and retry what is safe to resend, or throw a
 * typed error (outcome unknown when a write may have been applied).
 */
import type { Dispatcher } from 'undici';
import type { AppError } from '../../../shared/errors/errors';
import type { Redactor } from '../../log/redact';
import type { Logger } from '../../ports';
import { normaliseResponseBody, parseBody } from '../quirks/wire';
import type { ConcurrencyLimiter, SlotOutcome } from './adaptive-concurrency';
import type { AuthProvider } from './auth';
import {
  isRateLimited,
  isThrottle,
  pathBelowBase,
  redirectStep,
  refusalIsUnknown,
  retryStatusOf,
  slotOutcomeOf,
} from './classify-answer';
import { outcomeUnknownError, redirectError } from './flow-errors';
import { errorFromResponse, notScimError, type ErrorContext } from './http-errors';
import { classifyFailure, errorFromFailure } from './network-errors';
import { bucketOf, type Pacing, type WaitCause } from './pacing';
import { requestHeaders } from './request-headers';
import { buildRequestUrl } from './request-url';
import { decideRetry, isIdempotentMethod, parseRetryAfter, type RetrySettings } from './retry';
import { sendOnce, type WireAnswer } from './send';
import type { Sleep } from './timers';
import type { ScimRequest, ScimResponse } from './types';

export type TransportCounters = {
  requests: number;
  retries: number;
  throttled: number;
  failures: number;
};

/** Everything a request needs from its connection (built once by createScimHttp). */
export type Exchange = {
  baseUrl: string;
  /** Path of the base URL, cut off request paths to name their pacing bucket. */
  basePath: string;
  proxyUrl?: string;
  timeoutMs: number;
  userAgent: string;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  redactor: Redactor;
  logger: Logger;
  dispatcher: Dispatcher;
  auth: AuthProvider;
  pacing: Pacing;
  slots: ConcurrencyLimiter;
  retry: RetrySettings;
  counters: TransportCounters;
};

/** Where one request stands between its attempts. */
type RequestState = {
  req: ScimRequest;
  url: URL;
  body: string | undefined;
  idempotent: boolean;
  retries: number;
  reauthorised: boolean;
  redirects: number;
};

/** What one attempt produced; the loop in {@link runRequest} decides what happens next. */
type Attempt =
  | { kind: 'answer'; wire: WireAnswer; sentAuth: Record<string, string>; started: number }
  | { kind: 'failure'; error: unknown };

/** Sends `req` until it succeeds or a rule says stop (then throws a typed error). */
export async function runRequest<T>(x: Exchange, req: ScimRequest): Promise<ScimResponse<T>> {
  const s: RequestState = {
    req,
    url: buildRequestUrl(x.baseUrl, req.path, req.query),
    body: req.json ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
    idempotent: req.idempotent ?? isIdempotentMethod(req.method),
    retries: 0,
    reauthorised: false,
    redirects: 0,
  };
  for (;;) {
    const result = await pacedAttempt(x, s);
    if (result.kind === 'failure') {
      await retryAfterFailure(x, s, result.error);
      continue;
    }
    const response = await afterAnswer<T>(x, s, result);
    if (response) return response;
  }
}

function errorContext(x: Exchange, s: RequestState): ErrorContext {
  return {
    method: s.req.method,
    url: s.url.toString(),
    redactor: x.redactor,
    ...(x.proxyUrl ? { proxyUrl: x.proxyUrl } : {}),
  };
}

/** One attempt inside the pacing and a concurrency slot; tells both what came of it. */
async function pacedAttempt(x: Exchange, s: RequestState): Promise<Attempt> {
  const bucket = bucketOf(s.req.method, pathBelowBase(s.url, x.basePath));
  const sentAt = await x.pacing.acquire(bucket, s.req.signal);
  const slot = await x.slots.acquire(s.req.signal);
  let slotOutcome: SlotOutcome = 'neutral';
  const started = x.now();
  try {
    const result = await attempt(x, s, started);
    if (result.kind === 'answer') {
      const { headers } = result.wire;
      x.pacing.answered(bucket, sentAt, { throttled: isRateLimited(result.wire), headers });
      slotOutcome = slotOutcomeOf(result.wire);
    } else x.pacing.lost(bucket);
    return result;
  } finally {
    slot.release(slotOutcome);
  }
}

async function attempt(x: Exchange, s: RequestState, started: number): Promise<Attempt> {
  const { req, body } = s;
  const sentAuth = await x.auth.headers(req.signal);
  try {
    const wire = await sendOnce(s.url, {
      dispatcher: x.dispatcher,
      method: req.method,
      headers: requestHeaders(req, body, x.userAgent, sentAuth),
      ...(body !== undefined ? { body } : {}),
      timeoutMs: req.timeoutMs ?? x.timeoutMs,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    return { kind: 'answer', wire, sentAuth, started };
  } catch (error) {
    return { kind: 'failure', error };
  }
}

/** No answer came: throws when resending is not safe or not possible, else backs off. */
async function retryAfterFailure(x: Exchange, s: RequestState, error: unknown): Promise<void> {
  const { req } = s;
  if (req.signal?.aborted) throw errorFromFailure(req.signal.reason ?? error, errorContext(x, s));
  const info = classifyFailure(error);
  x.logger.log('debug', 'request failed', {
    method: req.method,
    url: x.redactor.url(s.url.toString()),
    errno: info.errno,
    code: info.code,
  });
  const failure = (): AppError =>
    errorFromFailure(error, { ...errorContext(x, s), timeoutMs: x.timeoutMs });
  if (info.code === 'tls' || info.code === 'config' || info.code === 'cancelled') throw failure();
  const decision = decideRetry(
    { kind: 'failure', phase: info.phase },
    s.retries,
    s.idempotent,
    x.retry,
    x.random(),
  );
  if (decision.action === 'unknown')
    throw outcomeUnknownError(req.method, s.url, failure(), x.redactor, req.lookupKey);
  if (decision.action === 'fail') throw failure();
  await backoff(x, s, decision.delayMs, info.code, 'unreachable');
}

/** An answer came: the response when done, undefined to go again, or throws. */
async function afterAnswer<T>(
  x: Exchange,
  s: RequestState,
  answer: Extract<Attempt, { kind: 'answer' }>,
): Promise<ScimResponse<T> | undefined> {
  const { wire } = answer;
  x.logger.log('debug', 'request', {
    method: s.req.method,
    url: x.redactor.url(s.url.toString()),
    status: wire.status,
    ms: x.now() - answer.started,
  });
  if (wire.status >= 200 && wire.status < 300) return success<T>(x, s, wire);

  const redirect = redirectStep(wire, s.url, s.req.method, s.redirects);
  if (redirect) {
    if (!redirect.follow)
      throw redirectError(s.req.method, s.url, redirect.target, wire.status, x.redactor);
    s.redirects += 1;
    s.url = redirect.target;
    return undefined;
  }

  if (wire.status === 401 && !s.reauthorised) {
    s.reauthorised = true;
    if (await x.auth.onUnauthorized(answer.sentAuth, s.req.signal)) return undefined;
  }
  await retryOrRefuse(x, s, wire);
  return undefined;
}

/** A refusal: backs off when the retry policy allows another attempt, else throws its error. */
async function retryOrRefuse(x: Exchange, s: RequestState, wire: WireAnswer): Promise<void> {
  const retryAfterMs = parseRetryAfter(wire.headers['retry-after'], x.now());
  const status = retryStatusOf(wire);
  if (status === 429) {
    x.counters.throttled += 1;
    x.pacing.count('rateLimited');
  }
  // The server asked everyone to wait, not just this request.
  if (isThrottle(wire) && retryAfterMs !== undefined) x.pacing.pauseUntil(x.now() + retryAfterMs);
  const decision = decideRetry(
    { kind: 'response', status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    s.retries,
    s.idempotent,
    x.retry,
    x.random(),
  );
  if (decision.action === 'retry') {
    const cause: WaitCause = status === 429 ? 'rate-limit' : 'unreachable';
    await backoff(x, s, decision.delayMs, `HTTP ${wire.status}`, cause);
    return;
  }
  const error = errorFromResponse(wire, errorContext(x, s), x.now());
  if (refusalIsUnknown(wire.status, decision, s.retries, s.req.ifMatch))
    throw outcomeUnknownError(s.req.method, s.url, error, x.redactor, s.req.lookupKey);
  throw error;
}

/** Waits `delayMs` before the next attempt (shown as the job's wait) and counts the retry. */
async function backoff(
  x: Exchange,
  s: RequestState,
  delayMs: number,
  why: string,
  cause: WaitCause,
): Promise<void> {
  x.counters.retries += 1;
  if (cause === 'unreachable') x.pacing.count('retried');
  x.logger.log(delayMs >= 5000 ? 'warn' : 'debug', 'retrying request', {
    method: s.req.method,
    url: x.redactor.url(s.url.toString()),
    why,
    attempt: s.retries + 1,
    delayMs,
  });
  const done = x.pacing.waiting(cause, x.now() + delayMs, s.retries + 1);
  try {
    await x.sleep(delayMs, s.req.signal);
  } finally {
    done();
  }
  s.retries += 1;
}

/** A 2xx answer as a ScimResponse; a body that is not JSON is a `not_scim` error. */
function success<T>(x: Exchange, s: RequestState, wire: WireAnswer): ScimResponse<T> {
  const parsed = parseBody(wire.text, wire.headers['content-type']);
  if (parsed.kind === 'not-json') {
    throw notScimError(wire.status, parsed, {
      method: s.req.method,
      url: s.url.toString(),
      redactor: x.redactor,
    });
  }
  const etag = wire.headers['etag'];
  return {
    status: wire.status,
    headers: wire.headers,
    body: parsed.kind === 'json' ? (normaliseResponseBody(parsed.value) as T) : undefined,
    ...(etag ? { etag } : {}),
    url: x.redactor.url(s.url.toString()),
  };
}
