/**
 * Comparing what a run meant to write with what the server holds (issue 15 items 2 and 5):
 *
 * - {@link sameValue}: a value the client sent is "kept" when the server's value carries it —
 *   strings compared trimmed and case-insensitively (servers canonicalise case of caseExact=false
 *   attributes), objects by the keys that were sent (a server may add `primary`, `display`, …),
 *   multi-valued attributes as "every sent item has a matching server item";
 * - {@link minimalPatch}: the PATCH operations, one per top-level attribute (one per attribute
 *   inside an extension), that bring an existing resource to a create body — attributes already
 *   equal are left out, so a 409 on create becomes a real diff, never a pathless replace;
 * - {@link droppedAttributes}: the attributes of a body the server's answer does not carry.
 */
import type { PatchOperation, ScimResource } from '../../shared/scim/types';

/** Never compared or written: server-managed, secret, or membership (written by the group pass). */
const SKIP = new Set(['schemas', 'id', 'meta', 'password', 'groups']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether the server's value `got` carries the value `sent`. */
export function sameValue(sent: unknown, got: unknown): boolean {
  if (typeof sent === 'string') {
    return typeof got === 'string' && sent.trim().toLowerCase() === got.trim().toLowerCase();
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(got)) return sent.length === 0 && got === undefined;
    return sent.every((s) => got.some((g) => sameValue(s, g)));
  }
  if (isObject(sent)) {
    if (!isObject(got)) return false;
    return Object.entries(sent).every(([k, v]) => v === undefined || sameValue(v, got[k]));
  }
  if (sent === null) return got === null || got === undefined;
  return sent === got;
}

/** Case-insensitive attribute lookup (RFC 7643 §2.1: attribute names are case-insensitive). */
function attr(r: Record<string, unknown>, name: string): unknown {
  if (name in r) return r[name];
  const lower = name.toLowerCase();
  const key = Object.keys(r).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : r[key];
}

function isExtension(name: string): boolean {
  return name.startsWith('urn:');
}

/** `[path, value]` of every attribute a body writes (extension attributes one by one). */
function written(body: Record<string, unknown>): [string, unknown, string, string | undefined][] {
  const out: [string, unknown, string, string | undefined][] = [];
  for (const [k, v] of Object.entries(body)) {
    if (SKIP.has(k) || v === undefined) continue;
    if (isExtension(k) && isObject(v)) {
      for (const [sub, sv] of Object.entries(v)) {
        if (sv !== undefined) out.push([`${k}:${sub}`, sv, k, sub]);
      }
    } else out.push([k, v, k, undefined]);
  }
  return out;
}

function valueAt(r: Record<string, unknown>, top: string, sub: string | undefined): unknown {
  const v = attr(r, top);
  if (sub === undefined) return v;
  return isObject(v) ? attr(v, sub) : undefined;
}

/** The PATCH operations that bring `existing` to `body` (empty when it already matches). */
export function minimalPatch(body: ScimResource, existing: ScimResource): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [path, value, top, sub] of written(body)) {
    if (sameValue(value, valueAt(existing, top, sub))) continue;
    ops.push({ op: 'replace', path, value });
  }
  return ops;
}

/** A PUT body for servers without PATCH: the existing resource with the body's attributes. */
export function mergedReplace(body: ScimResource, existing: ScimResource): ScimResource {
  const out: ScimResource = { ...existing };
  delete out.meta;
  delete out['groups'];
  for (const [, value, top, sub] of written(body)) {
    if (sub === undefined) out[top] = value;
    else {
      const ext = out[top];
      out[top] = { ...(isObject(ext) ? ext : {}), [sub]: value };
    }
  }
  const schemas = new Set([...(existing.schemas ?? []), ...(body.schemas ?? [])]);
  out.schemas = [...schemas];
  return out;
}

/** The attributes of `body` the server's `answer` does not carry (dropped or changed). */
export function droppedAttributes(
  body: Record<string, unknown>,
  answer: Record<string, unknown>,
): string[] {
  return written(body)
    .filter(([, value, top, sub]) => !sameValue(value, valueAt(answer, top, sub)))
    .map(([path]) => path);
}

/** `name.givenName` → name / givenName; `urn:…:User:manager` → the extension / manager. */
function splitPath(path: string, answer: Record<string, unknown>): [string, string | undefined] {
  if (isExtension(path)) {
    if (attr(answer, path) !== undefined) return [path, undefined];
    const at = path.lastIndexOf(':');
    return [path.slice(0, at), path.slice(at + 1)];
  }
  const dot = path.indexOf('.');
  return dot < 0 ? [path, undefined] : [path.slice(0, dot), path.slice(dot + 1)];
}

/**
 * The paths a PATCH's `add`/`replace` operations set that the server's answer does not carry.
 * Operations with a filter (`emails[type eq "work"].value`) or a `remove` are not checked.
 */
export function droppedByPatch(
  ops: readonly PatchOperation[],
  answer: Record<string, unknown>,
): string[] {
  const dropped: string[] = [];
  for (const o of ops) {
    const kind = o.op.toLowerCase();
    if (kind !== 'add' && kind !== 'replace') continue;
    if (o.path === undefined) {
      if (isObject(o.value)) dropped.push(...droppedAttributes(o.value, answer));
      continue;
    }
    if (o.path.includes('[') || SKIP.has(o.path)) continue;
    const [top, sub] = splitPath(o.path, answer);
    if (SKIP.has(top)) continue;
    if (!sameValue(o.value, valueAt(answer, top, sub))) dropped.push(o.path);
  }
  return dropped;
}
