import type { ErrorPayload } from '../errors/payload';

/** The envelope every IPC response travels in, so typed error facts survive the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ErrorPayload): Result<T> {
  return { ok: false, error };
}
