/**
 * Maps a BulkResponse (RFC 7644 §3.7.3) back to the operations that were sent, and turns
 * per-operation statuses into ErrorPayloads.
 */
import type { ErrorCode, ErrorPayload } from '../../shared/errors/payload';
import type { ScimResource } from '../../shared/scim/types';
import type { OpResult, WriteOp } from './ops';
import { idFromLocation, locationPath } from './quirks/resource';
import { toInteger } from './quirks/wire';
import { isRecord, member, objectMember, stringMember, type JsonObject } from './read';

/** An operation as sent in a Bulk request, with the path it used. */
export type SentOp = { op: WriteOp; path: string; bulkId?: string };

function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 412) return 'precondition_failed';
  if (status === 429) return 'rate_limited';
  return 'scim_http';
}

/** ErrorPayload for a failed operation, from its status and SCIM error body (§3.12). */
function errorForStatus(
  status: number,
  body: unknown,
  method: string,
  path: string,
  lookupKey?: string,
): ErrorPayload {
  const obj = isRecord(body) ? body : undefined;
  const scimType = stringMember(obj, 'scimType');
  const detail = stringMember(obj, 'detail') ?? stringMember(obj, 'message');
  const what =
    status === 409 && scimType === 'uniqueness'
      ? ': a resource with the same unique value already exists'
      : '';
  return {
    code: codeForStatus(status),
    message: `${method} ${path} failed inside the Bulk request (HTTP ${status})${what}.`,
    status,
    method,
    ...(scimType !== undefined ? { scimType } : {}),
    ...(detail !== undefined ? { detail: detail.slice(0, 1000) } : {}),
    ...(obj ? { raw: JSON.stringify(obj).slice(0, 2000) } : {}),
    ...(lookupKey !== undefined ? { lookupKey } : {}),
  };
}

/**
 * quirk: bulk-status-types — `status` is a string in RFC 7644 §3.7.3 ("201"), a number on many
 * servers, and `{ "code": "201" }` in SCIM 1.1-era answers.
 */
function bulkStatus(value: unknown): number | undefined {
  if (isRecord(value)) return toInteger(member(value, 'code'));
  return toInteger(value);
}

function pathOf(location: string | undefined): string | undefined {
  return location ? locationPath(location) : undefined;
}

/** Indices of `sent` by a key, in order; the look-up gives the first one that `fits`, or −1. */
function indexBy(
  sent: readonly SentOp[],
  keyOf: (s: SentOp) => string | undefined,
): (key: string, fits: (i: number) => boolean) => number {
  const byKey = new Map<string, number[]>();
  sent.forEach((s, i) => {
    const k = keyOf(s);
    if (k === undefined) return;
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  return (key, fits) => byKey.get(key)?.find(fits) ?? -1;
}

/** The last segment of a path (what a sent op's path and a result's location share). */
function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Result for one sent op from its response entry. */
function resultFor(sent: SentOp, entry: JsonObject): OpResult {
  const status = bulkStatus(member(entry, 'status')) ?? 0;
  const ok = status >= 200 && status < 300;
  const location = stringMember(entry, 'location');
  const response = member(entry, 'response');
  const resource = ok && isRecord(response) ? (response as ScimResource) : undefined;
  const id =
    idFromLocation(location) ??
    (typeof resource?.id === 'string' ? resource.id : undefined) ??
    sent.op.id;
  const version =
    stringMember(entry, 'version') ?? stringMember(objectMember(resource, 'meta'), 'version');
  return {
    opId: sent.op.opId,
    ok,
    status,
    ...(id !== undefined && !id.startsWith('bulkId:') ? { id } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(resource ? { resource } : {}),
    ...(ok
      ? {}
      : { error: errorForStatus(status, response, sent.op.method, sent.path, sent.op.lookupKey) }),
  };
}

/**
 * Matches response entries to sent operations: by bulkId first (unique per request, §3.7), then by
 * method + location path, then by position among the rest. Sent ops without an entry are returned
 * in `missing`.
 */
export function mapBulkResponse(
  sent: readonly SentOp[],
  body: unknown,
): { results: OpResult[]; missing: SentOp[] } {
  const list = isRecord(body) ? member(body, 'Operations') : undefined;
  const entries = Array.isArray(list) ? list.filter(isRecord) : [];
  const matched = new Map<number, JsonObject>();
  const used = new Set<number>();
  const claim = (entryIndex: number, sentIndex: number): void => {
    matched.set(sentIndex, entries[entryIndex] ?? {});
    used.add(entryIndex);
  };
  // Keyed look-ups, not a scan of `sent` per entry: a 1000-operation answer is matched in
  // linear time.
  const byBulkId = indexBy(sent, (s) => s.bulkId);
  entries.forEach((e, ei) => {
    const bulkId = stringMember(e, 'bulkId');
    if (bulkId === undefined) return;
    const si = byBulkId(bulkId, (i) => !matched.has(i));
    if (si >= 0) claim(ei, si);
  });
  // A path that ends with a sent op's path ends with its last segment too (when that path has a
  // `/`); paths without one are rare and scanned.
  const byLast = indexBy(sent, (s) =>
    s.bulkId === undefined && s.path.includes('/') ? lastSegment(s.path) : undefined,
  );
  const unkeyed = sent.flatMap((s, i) => (s.path.includes('/') ? [] : [i]));
  entries.forEach((e, ei) => {
    if (used.has(ei)) return;
    const method = stringMember(e, 'method')?.toUpperCase();
    const path = pathOf(stringMember(e, 'location'));
    if (path === undefined) return;
    const fits = (i: number): boolean => {
      const s = sent[i];
      return (
        s !== undefined &&
        !matched.has(i) &&
        s.bulkId === undefined &&
        (method === undefined || method === s.op.method) &&
        path.endsWith(s.path)
      );
    };
    const keyed = byLast(lastSegment(path), fits);
    const other = unkeyed.find(fits) ?? -1;
    const si = keyed < 0 ? other : other < 0 ? keyed : Math.min(keyed, other);
    if (si >= 0) claim(ei, si);
  });
  let cursor = 0;
  entries.forEach((e, ei) => {
    if (used.has(ei)) return;
    const method = stringMember(e, 'method')?.toUpperCase();
    while (
      cursor < sent.length &&
      (matched.has(cursor) || (method !== undefined && sent[cursor]?.op.method !== method))
    )
      cursor++;
    if (cursor < sent.length) claim(ei, cursor);
  });
  const results: OpResult[] = [];
  const missing: SentOp[] = [];
  sent.forEach((s, i) => {
    const entry = matched.get(i);
    if (entry) results.push(resultFor(s, entry));
    else missing.push(s);
  });
  return { results, missing };
}
