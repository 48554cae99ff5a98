/**
 * The one request shape of the read-only probes: a GET whose failure is an answer ("the feature
 * is missing"), except cancellation and credential failures, which are surfaced as they are.
 */
import { isAppError } from '../../shared/errors/errors';
import { isRecord, listItems, type JsonObject } from './read';
import type { ScimHttp, ScimResponse } from './transport/types';

export type Answer =
  { ok: true; res: ScimResponse } | { ok: false; why: string; scimType?: string; status?: number };

/** Why a probe request failed, in a few words, for the probe note. */
function why(e: unknown): { why: string; scimType?: string; status?: number } {
  if (!isAppError(e)) return { why: 'unexpected error' };
  const { status, scimType } = e.facts;
  const parts = [status !== undefined ? `HTTP ${status}` : e.code, scimType ?? '']
    .filter(Boolean)
    .join(' ');
  return {
    why: parts,
    ...(scimType !== undefined ? { scimType } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

function rethrowIfFatal(e: unknown): void {
  // Cancellation and credential failures are not "the feature is missing": surface them.
  if (isAppError(e) && (e.code === 'cancelled' || (e.code === 'auth' && e.facts.status === 401)))
    throw e;
}

/** GET `path` with `query`; a failure is returned as `{ ok: false }` with its reason. */
export async function probeGet(
  http: ScimHttp,
  path: string,
  query: Record<string, string | number>,
  signal?: AbortSignal,
): Promise<Answer> {
  try {
    return {
      ok: true,
      res: await http.request({ method: 'GET', path, query, ...(signal ? { signal } : {}) }),
    };
  } catch (e) {
    rethrowIfFatal(e);
    return { ok: false, ...why(e) };
  }
}

/** The body and items of a list answer. */
export function listOf(res: ScimResponse): { body: JsonObject | undefined; items: JsonObject[] } {
  const body = isRecord(res.body) ? res.body : undefined;
  return { body, items: listItems(res.body) };
}
