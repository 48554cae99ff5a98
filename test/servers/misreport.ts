/**
 * Read-integrity deviations for the deviant server (issue 15): servers that misreport what they
 * hold. Each option imitates published vendor behaviour: a server that answers page 1 whatever
 * `startIndex` says, one whose `totalResults` is off by a fixed amount, one that answers 200 with
 * an empty list for filters it does not support, one that ignores filters, and one whose
 * `GET /Users/{id}` now and then answers another user.
 */
import type { SandboxStore } from '../../sandbox/store';

export type MisreportOptions = {
  /** List requests: `startIndex` is dropped, so every page is page 1. */
  ignoreStartIndex?: boolean;
  /** Unfiltered list answers: `totalResults` plus this (negative: too small; clamped at 0). */
  totalResultsSkew?: number;
  /** Any filtered list answers 200 with an empty list (a server that does not support filters). */
  emptyForFilters?: boolean;
  /** List requests: the filter is dropped, so everyone is returned. */
  ignoreFilters?: boolean;
  /**
   * `GET /Users/{id}` answers another user when this says so (true = always): the user listed
   * right after the one asked for.
   */
  getByIdAnswersOther?: boolean | ((id: string) => boolean);
};

/** The list query parameters after the deviations (a copy). */
export function misreportListParams(o: MisreportOptions, params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  if (o.ignoreStartIndex === true) out.delete('startIndex');
  if (o.ignoreFilters === true) out.delete('filter');
  return out;
}

/** The POST /.search body after the deviations. */
export function misreportSearchBody(o: MisreportOptions, body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (o.ignoreStartIndex === true) delete rest['startIndex'];
  if (o.ignoreFilters === true) delete rest['filter'];
  return rest;
}

/** True when a filtered list should be answered with an empty 200. */
export function answersEmpty(o: MisreportOptions, filterText: unknown): boolean {
  return o.emptyForFilters === true && typeof filterText === 'string' && filterText !== '';
}

/** The path a GET by id is really served from (another user's, when the option says so). */
export function misreportGetPath(
  o: MisreportOptions,
  store: SandboxStore,
  method: string,
  path: string,
): string {
  const m = /^(.*\/Users)\/([^/]+)$/.exec(path);
  if (method !== 'GET' || m === null || o.getByIdAnswersOther === undefined) return path;
  const id = decodeURIComponent(m[2] ?? '');
  const wanted =
    typeof o.getByIdAnswersOther === 'function' ? o.getByIdAnswersOther(id) : o.getByIdAnswersOther;
  if (!wanted) return path;
  const users = store.list('User');
  const at = users.findIndex((u) => u.id === id);
  const other = users[(at + 1) % Math.max(1, users.length)];
  if (other?.id === undefined || other.id === id) return path;
  return `${m[1] ?? ''}/${encodeURIComponent(other.id)}`;
}

/** A list answer's totalResults after the skew (unfiltered lists only). */
export function skewTotal(
  o: MisreportOptions,
  list: Record<string, unknown>,
  filtered: boolean,
): void {
  const skew = o.totalResultsSkew;
  if (skew === undefined || filtered || typeof list['totalResults'] !== 'number') return;
  list['totalResults'] = Math.max(0, list['totalResults'] + skew);
}
