/**
 * A small in-process ScimHttp for unit tests of paging/bulk/discovery maths. Errors go through the
 * real transport error mapping (errorFromResponse), so typed errors look exactly like production ones.
 */
import { errorFromResponse } from '../../../../engine/scim/transport/http-errors';
import { normaliseResponseBody } from '../../../../engine/scim/quirks/wire';
import type { ScimHttp, ScimRequest, ScimResponse } from '../../../../engine/scim/transport/types';

export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> };
type FakeHandler = (req: ScimRequest) => FakeAnswer | Promise<FakeAnswer>;

type FakeHttp = ScimHttp & { calls: ScimRequest[] };

/** A fake transport for `baseUrl` answering every request with `handler`. */
export function createFakeHttp(
  handler: FakeHandler,
  baseUrl = 'https://scim.example.test/scim/v2',
): FakeHttp {
  const calls: ScimRequest[] = [];
  return {
    baseUrl,
    calls,
    async request<T = unknown>(req: ScimRequest): Promise<ScimResponse<T>> {
      calls.push(structuredClone({ ...req, signal: undefined }));
      const a = await handler(req);
      const headers: Record<string, string> = {
        'content-type': 'application/scim+json',
        ...(a.headers ?? {}),
      };
      const url = `${baseUrl}${req.path}`;
      if (a.status >= 400) {
        throw errorFromResponse(
          {
            status: a.status,
            headers,
            text:
              a.body === undefined
                ? ''
                : typeof a.body === 'string'
                  ? a.body
                  : JSON.stringify(a.body),
          },
          { method: req.method, url },
        );
      }
      return {
        status: a.status,
        headers,
        body: (a.body === undefined ? undefined : normaliseResponseBody(a.body)) as T | undefined,
        ...(headers['etag'] ? { etag: headers['etag'] } : {}),
        url,
      };
    },
    stats: () => ({
      requests: calls.length,
      retries: 0,
      throttled: 0,
      failures: 0,
      concurrency: 1,
    }),
    pacing: () => ({ requestsPerSecond: 0, rateLimited: 0, retried: 0 }),
    close: () => Promise.resolve(),
  };
}

/** A SCIM error body (RFC 7644 §3.12). */
export function scimError(status: number, scimType?: string, detail?: string): FakeAnswer {
  return {
    status,
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      ...(detail ? { detail } : {}),
    },
  };
}

/** A ListResponse body. */
export function listResponse(
  resources: unknown[],
  extra: Record<string, unknown> = {},
): FakeAnswer {
  return {
    status: 200,
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      Resources: resources,
      ...extra,
    },
  };
}
