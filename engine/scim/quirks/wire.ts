/**
 * Wire-level vendor deviations, in one named place. Each function says which quirk it absorbs and
 * where the quirk is documented (docs/server-behaviour.md and docs/scim-client-rules.md).
 * Everything above the transport sees RFC 7644 shapes only.
 */
import { URN } from '../../../shared/scim/urns';

/** What a response body turned out to be. */
export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | {
      kind: 'not-json';
      looksLike: 'html' | 'xml' | 'text' | 'binary' | 'broken-json';
      title?: string;
      text: string;
    };

/**
 * quirk: json-content-types — accept `application/json` (and any `+json` type, any charset)
 * besides `application/scim+json` (RFC 7644 §3.1 / §8.1).
 * Source: docs/scim-client-rules.md, "Errors, throttling, transport" (accept application/json too).
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type === 'application/scim+json' || type.endsWith('+json');
}

/**
 * quirk: bom-prefixed-json — some Windows-hosted servers prefix UTF-8 JSON with a byte-order mark,
 * which JSON.parse rejects. Source: observed wire behaviour of IIS/.NET hosts (no vendor row).
 */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text);
  const title = m?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? title.slice(0, 120) : undefined;
}

function classifyNonJson(text: string, contentType: string | undefined): ParsedBody {
  const head = text.trimStart().slice(0, 200).toLowerCase();
  const type = (contentType ?? '').toLowerCase();
  if (
    type.includes('html') ||
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<(head|body)[\s>]/.test(head)
  ) {
    const title = htmlTitle(text);
    return { kind: 'not-json', looksLike: 'html', ...(title ? { title } : {}), text };
  }
  if (type.includes('xml') || head.startsWith('<?xml') || head.startsWith('<')) {
    return { kind: 'not-json', looksLike: 'xml', text };
  }
  // eslint-disable-next-line no-control-regex -- detecting binary answers means looking for control bytes
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 512)))
    return { kind: 'not-json', looksLike: 'binary', text };
  if (head.startsWith('{') || head.startsWith('['))
    return { kind: 'not-json', looksLike: 'broken-json', text };
  return { kind: 'not-json', looksLike: 'text', text };
}

/**
 * Parses a response body leniently.
 *
 * quirk: empty-success-body — PATCH/DELETE/PUT answered 200/204 with no body (Entra SCIM API PATCH ⇒ 204;
 * Okta and Entra as clients accept 204). Source: docs/server-behaviour.md, "Entra ID as SCIM
 * server"; docs/scim-client-rules.md, "Writing" (tolerate 200-with-body and 204).
 *
 * quirk: json-as-text — JSON sent as `text/plain` or with no Content-Type is accepted when it parses
 * as a JSON object or array; anything else stays "not JSON" so an HTML login page is never
 * mistaken for data.
 */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const body = stripBom(text);
  if (body.trim() === '') return { kind: 'empty' };
  const trimmed = body.trim();
  const jsonish = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (isJsonContentType(contentType) || jsonish) {
    try {
      const value = JSON.parse(body) as unknown;
      if (isJsonContentType(contentType) || (typeof value === 'object' && value !== null)) {
        return { kind: 'json', value };
      }
    } catch {
      // Fall through: classified below (a truncated or broken JSON answer is "broken-json").
    }
  }
  return classifyNonJson(body, contentType);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Finds a member by case-insensitive name (RFC 7643 §2.1: attribute names are case-insensitive).
 * Returns the actual key used, preferring the exact spelling.
 */
export function findKeyCaseInsensitive(
  obj: Record<string, unknown>,
  name: string,
): string | undefined {
  if (name in obj) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/**
 * quirk: list-keys-any-case — list and bulk responses with `resources`/`RESOURCES` or `operations`
 * instead of `Resources`/`Operations`. Source: docs/server-behaviour.md, "Entra ID as SCIM server"
 * (lowercase `resources`/`operations`) and "Google Cloud Identity SCIM" (lowercase `resources`).
 * Renames the key in place on a shallow copy.
 */
export function canonicaliseMessageKeys(
  obj: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  let out = obj;
  for (const name of names) {
    const key = findKeyCaseInsensitive(out, name);
    if (key !== undefined && key !== name) {
      const { [key]: value, ...rest } = out;
      out = { ...rest, [name]: value };
    }
  }
  return out;
}

/**
 * quirk: numbers-as-strings — `totalResults`, `itemsPerPage`, `startIndex` (and error `status`)
 * sent as strings such as `"42"`. RFC 7644 §3.4.2 defines them as integers; the Error `status` is
 * a string in the RFC but numbers appear in the wild. Source: docs/scim-client-rules.md, "Index
 * paging" (integers as strings) and "Errors, throttling, transport" (`status` string in the RFC,
 * numbers in the wild).
 */
export function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}

/**
 * quirk: schemas-as-string — `"schemas": "urn:…"` instead of an array; wrap it so `schemas` is
 * always `string[]` as RFC 7643 §3 requires. Source: defensive wire rule (no vendor row).
 */
function normaliseSchemas(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

function hasSchema(obj: Record<string, unknown>, urn: string): boolean {
  const s = obj['schemas'];
  return (
    Array.isArray(s) &&
    s.some((x) => typeof x === 'string' && x.toLowerCase() === urn.toLowerCase())
  );
}

/** True when the object is (or looks like) a ListResponse (RFC 7644 §3.4.2). */
function looksLikeListResponse(obj: Record<string, unknown>): boolean {
  if (hasSchema(obj, URN.listResponse)) return true;
  // Without the schema URN, only an array-valued Resources member on something that is not itself a
  // resource (no id) counts; a custom attribute called "resources" on a User must stay untouched.
  const key = findKeyCaseInsensitive(obj, 'Resources');
  return key !== undefined && Array.isArray(obj[key]) && !('id' in obj);
}

/** True when the object is (or looks like) a SCIM Error (RFC 7644 §3.12). */
function looksLikeScimError(obj: Record<string, unknown>): boolean {
  return hasSchema(obj, URN.error);
}

function normaliseListResponse(obj: Record<string, unknown>): Record<string, unknown> {
  const out = canonicaliseMessageKeys(obj, [
    'Resources',
    'totalResults',
    'itemsPerPage',
    'startIndex',
    'nextCursor',
    'previousCursor',
  ]);
  for (const key of ['totalResults', 'itemsPerPage', 'startIndex'] as const) {
    if (key in out) {
      const n = toInteger(out[key]);
      if (n === undefined) Reflect.deleteProperty(out, key);
      else out[key] = n;
    }
  }
  // quirk: missing-resources — RFC 7644 §3.4.2 only requires Resources when totalResults > 0; many
  // servers omit it (or send null) for an empty page. Callers always get an array.
  if (!Array.isArray(out['Resources'])) out['Resources'] = [];
  return out;
}

function normaliseError(obj: Record<string, unknown>): Record<string, unknown> {
  const out = canonicaliseMessageKeys(obj, ['status', 'scimType', 'detail']);
  const n = toInteger(out['status']);
  // RFC 7644 §3.12 defines status as a string; keep it a string so every layer sees one type.
  if (n !== undefined) out['status'] = String(n);
  return out;
}

/**
 * Normalises a parsed JSON body into RFC shapes: canonical `schemas`, list keys and numbers, bulk
 * `Operations`, error members. Resources themselves are not touched (attribute mapping is the
 * engine's job), so unknown vendor attributes survive.
 */
export function normaliseResponseBody(value: unknown): unknown {
  if (!isRecord(value)) return value;
  let out: Record<string, unknown> = { ...value };
  const schemasKey = findKeyCaseInsensitive(out, 'schemas');
  if (schemasKey !== undefined) {
    out = canonicaliseMessageKeys(out, ['schemas']);
    out['schemas'] = normaliseSchemas(out['schemas']);
  }
  if (looksLikeListResponse(out)) return normaliseListResponse(out);
  if (looksLikeScimError(out)) return normaliseError(out);
  if (hasSchema(out, URN.bulkResponse)) return canonicaliseMessageKeys(out, ['Operations']);
  return out;
}

/**
 * quirk: quota-as-403 — Google's Admin SDK signals quota exhaustion with 403
 * `userRateLimitExceeded`/`rateLimitExceeded` instead of 429. Treat it as throttling, not as a
 * permission problem. Source: docs/server-behaviour.md, "Google Workspace Admin SDK", A2 and
 * B1 `rate` ("403 for quota").
 */
export function isQuotaForbidden(status: number, rawText: string): boolean {
  return status === 403 && /\b(user)?rateLimitExceeded\b|\bquotaExceeded\b/i.test(rawText);
}
