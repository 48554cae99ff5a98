/**
 * The SCIM transport: turns a ScimRequest into HTTP on the wire with auth, rate and concurrency
 * limits, safe retries, redirect rules and typed errors (see types.ts for the port; the request
 * loop itself is exchange.ts).
 */
import type { Dispatcher } from 'undici';
import { silentLogger, withRedactor } from '../../log/logger';
import type { Logger } from '../../ports';
import { createConcurrencyLimiter } from './adaptive-concurrency';
import { createAuthProvider } from './auth';
import { normaliseBaseUrl } from './base-url';
import { connectionRedactor } from './connection-secrets';
import { createDispatcher } from './dispatcher';
import { runRequest, type Exchange } from './exchange';
import { createPacing } from './pacing';
import { DEFAULT_RETRY, type RetrySettings } from './retry';
import { realSleep, type Sleep } from './timers';
import type {
  ScimHttp,
  ScimRequest,
  ScimResponse,
  TransportOptions,
  TransportStats,
} from './types';

type ScimHttpDeps = {
  logger?: Logger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** Injected dispatcher (not closed by `close()`); default: one built from the options. */
  dispatcher?: Dispatcher;
};

/** The retry settings of a connection: its own where given, the defaults elsewhere. */
function retrySettings(retry: TransportOptions['retry']): RetrySettings {
  return {
    maxRetries: retry?.maxRetries ?? DEFAULT_RETRY.maxRetries,
    baseDelayMs: retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}

/** Builds the parts one connection's requests share: clock, redactor, sockets, auth, limits. */
function createExchange(options: TransportOptions, deps: ScimHttpDeps): Exchange {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const redactor = connectionRedactor(options);
  const dispatcher = deps.dispatcher ?? createDispatcher(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const userAgent = options.userAgent ?? 'SCIM-Porter';
  const proxy = options.proxyUrl ? { proxyUrl: options.proxyUrl } : {};
  return {
    baseUrl,
    basePath: new URL(baseUrl).pathname,
    ...proxy,
    timeoutMs,
    userAgent,
    now,
    sleep,
    random: deps.random ?? Math.random,
    redactor,
    logger: withRedactor(deps.logger ?? silentLogger, redactor),
    dispatcher,
    auth: createAuthProvider(options.auth, {
      dispatcher,
      now,
      redactor,
      userAgent,
      timeoutMs,
      ...proxy,
    }),
    pacing: createPacing({
      ...(options.maxRequestsPerSecond !== undefined
        ? { maxRequestsPerSecond: options.maxRequestsPerSecond }
        : {}),
      now,
      sleep,
    }),
    slots: createConcurrencyLimiter({ maxConcurrency: options.maxConcurrency ?? 8 }),
    retry: retrySettings(options.retry),
    counters: { requests: 0, retries: 0, throttled: 0, failures: 0 },
  };
}

/** Creates the transport for one connection. `close()` releases its sockets. */
export function createScimHttp(options: TransportOptions, deps: ScimHttpDeps = {}): ScimHttp {
  const x = createExchange(options, deps);
  let closing: Promise<void> | undefined;
  return {
    baseUrl: x.baseUrl,
    async request<T = unknown>(req: ScimRequest): Promise<ScimResponse<T>> {
      x.counters.requests += 1;
      try {
        return await runRequest<T>(x, req);
      } catch (e) {
        x.counters.failures += 1;
        throw e;
      }
    },
    stats(): TransportStats {
      return { ...x.counters, concurrency: x.slots.limit() };
    },
    pacing: () => x.pacing.stats(),
    close() {
      // Idempotent: discovery and the connection both close the transports they opened.
      closing ??= deps.dispatcher ? Promise.resolve() : x.dispatcher.close();
      return closing;
    },
  };
}
