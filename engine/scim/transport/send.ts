import { request, type Dispatcher } from 'undici';
import type { HttpMethod } from './types';
import { RequestTimeoutError } from './network-errors';

/** One HTTP exchange as received: status, lower-cased headers and the whole body as text. */
export type WireAnswer = { status: number; headers: Record<string, string>; text: string };

/** Lower-cases header names and joins repeated values (RFC 9110 §5.3). */
export function flattenHeaders(
  h: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

type SendOptions = {
  dispatcher: Dispatcher;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** Covers connecting, headers and the whole body; on expiry throws RequestTimeoutError. */
  timeoutMs: number;
  signal?: AbortSignal;
};

/**
 * Sends one request and reads the full answer. Redirects are not followed here (undici's request
 * never follows them); the caller decides. Throws the raw failure for the caller to classify.
 */
export async function sendOnce(url: URL, options: SendOptions): Promise<WireAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new RequestTimeoutError(options.timeoutMs));
  }, options.timeoutMs);
  const { signal } = options;
  const onAbort = (): void => {
    controller.abort(signal?.reason);
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(url, {
      method: options.method,
      headers: options.headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
      dispatcher: options.dispatcher,
      signal: controller.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
  } catch (e) {
    const reason: unknown = controller.signal.reason;
    throw reason instanceof RequestTimeoutError ? reason : e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
