/**
 * The transport port: everything above it (discovery, resources, paging, bulk) talks to a SCIM
 * server only through `ScimHttp.request`. Retries, rate limits, auth and error mapping live below.
 */

import type { PacingStats } from './pacing';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type AuthConfig =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /** Send client credentials in the body instead of HTTP Basic (some providers require it). */
      credentialsInBody?: boolean;
    }
  | { kind: 'header'; name: string; value: string };

export type TransportOptions = {
  /** Normalised SCIM base URL, no trailing slash (see base-url.ts). */
  baseUrl: string;
  auth: AuthConfig;
  /** TLS verification is on unless `verify` is explicitly false (CLI --insecure only). */
  tls?: { verify?: boolean; caCertsPem?: string[] };
  proxyUrl?: string;
  /** Per-request timeout in ms (headers and body). Default 30 000. */
  timeoutMs?: number;
  /** Upper bound of in-flight requests. Default 8. */
  maxConcurrency?: number;
  /**
   * Cap on requests per second for this connection. Below it the transport learns the server's
   * own limit from 429s and rate-limit headers (pacing.ts); the cap is never exceeded.
   */
  maxRequestsPerSecond?: number;
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  userAgent?: string;
};

export type ScimRequest = {
  method: HttpMethod;
  /** Path relative to the base URL (`/Users`, `/Users/abc`), or an absolute URL on the same origin. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON with `Content-Type: application/scim+json`. */
  body?: unknown;
  /**
   * `body` already serialised as JSON (it must be that text): sent as it is instead of serialising
   * `body` again (a Bulk request, whose operations were serialised to measure them against
   * `maxPayloadSize`).
   */
  json?: string;
  headers?: Record<string, string>;
  /** Sent as `If-Match`. */
  ifMatch?: string;
  /**
   * Whether the request may be replayed when its outcome is unknown (connection dropped after
   * sending, timeout). Defaults: GET/PUT/DELETE true, POST/PATCH false. When false and the
   * outcome is unknown, the transport throws `outcome_unknown` carrying `lookupKey`.
   */
  idempotent?: boolean;
  /** How to find out what happened to a non-idempotent request (e.g. `userName eq "ada@x"`). */
  lookupKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
};

export type ScimResponse<T = unknown> = {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (normalised by quirks), undefined for 204 / empty bodies. */
  body: T | undefined;
  /** ETag header, if any. */
  etag?: string;
  url: string;
};

export type TransportStats = {
  requests: number;
  retries: number;
  throttled: number;
  failures: number;
  /** Current adaptive concurrency limit. */
  concurrency: number;
};

export type ScimHttp = {
  readonly baseUrl: string;
  request<T = unknown>(req: ScimRequest): Promise<ScimResponse<T>>;
  stats(): TransportStats;
  /** How the connection is paced right now (rate, its source, 429s, current wait). */
  pacing(): PacingStats;
  close(): Promise<void>;
};
