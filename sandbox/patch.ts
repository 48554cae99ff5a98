/**
 * PATCH (RFC 7644 §3.5.2). The operations are checked here (op names, paths resolvable against the
 * schema, no writes to readOnly attributes) and rewritten into a form `scim-patch` applies
 * predictably; `scim-patch` does the actual edit.
 */
import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { SCIM_TYPES, type ScimType } from '../shared/errors/payload';
import { parsePatchPath } from '../shared/scim/attribute-path';
import { URN } from '../shared/scim/urns';
import { extensionUrn, isRecord, resolvePath } from './attribute-resolver';
import { parseFilter } from './filter-eval';
import type { SandboxResourceType } from './schemas';
import { badRequest } from './sandbox-error';

type Op = { op: 'add' | 'remove' | 'replace'; path?: string; value?: unknown };

function quote(v: string): string {
  return JSON.stringify(v);
}

/** Validates a path and returns it with canonical attribute names. */
function canonicalPath(type: SandboxResourceType, path: string): string {
  const parsed = parsePatchPath(path);
  if (!parsed.ok) {
    throw badRequest('invalidPath', `PATCH path "${path}" is invalid: ${parsed.reason}.`);
  }
  const { uri, attr, subAttr, valueFilter } = parsed.path;
  const prefix = uri !== undefined ? `${uri}:` : '';
  const resolved = resolvePath(
    type,
    `${prefix}${attr}${subAttr !== undefined ? `.${subAttr}` : ''}`,
  );
  if (resolved === undefined) {
    throw badRequest('invalidPath', `PATCH path "${path}" names no attribute of a ${type}.`);
  }
  // RFC 7644 §3.5.2: modifying a readOnly attribute is a "mutability" error.
  if (resolved.def.mutability === 'readOnly' || resolved.sub?.mutability === 'readOnly') {
    throw badRequest('mutability', `"${path}" is read-only and cannot be modified.`);
  }
  if (valueFilter !== undefined) {
    if (!resolved.def.multiValued || resolved.def.type !== 'complex') {
      throw badRequest(
        'invalidPath',
        `"${path}": a value filter needs a multi-valued complex attribute.`,
      );
    }
    parseFilter(valueFilter);
  }
  const container = resolved.container !== undefined ? `${resolved.container}:` : '';
  return `${container}${resolved.def.name}${valueFilter !== undefined ? `[${valueFilter}]` : ''}${
    resolved.sub !== undefined ? `.${resolved.sub.name}` : ''
  }`;
}

const READ_ONLY_KEYS = new Set(['id', 'meta', 'schemas', 'groups']);

/** Splits a path-less add/replace into one op per attribute, so each path is validated. */
function expandNoPath(type: SandboxResourceType, op: Op): Op[] {
  if (!isRecord(op.value)) {
    throw badRequest('invalidValue', `A "${op.op}" without "path" needs an object "value".`);
  }
  const out: Op[] = [];
  for (const [key, value] of Object.entries(op.value)) {
    if (READ_ONLY_KEYS.has(key.toLowerCase())) {
      continue;
    }
    const ext = key.toLowerCase().startsWith('urn:') ? extensionUrn(type, key) : undefined;
    if (ext !== undefined && isRecord(value)) {
      for (const [k, v] of Object.entries(value)) {
        out.push({ op: op.op, path: `${ext}:${k}`, value: v });
      }
      continue;
    }
    out.push({ op: op.op, path: key, value });
  }
  return out;
}

function readOps(body: unknown): Op[] {
  if (!isRecord(body)) {
    throw badRequest('invalidSyntax', 'The PATCH body must be a JSON object.');
  }
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(URN.patchOp)) {
    throw badRequest('invalidSyntax', `A PATCH body must have "schemas": ["${URN.patchOp}"].`);
  }
  const ops = body.Operations;
  if (!Array.isArray(ops) || ops.length === 0) {
    throw badRequest('invalidSyntax', 'A PATCH body must have a non-empty "Operations" array.');
  }
  return ops.map((raw: unknown, i) => {
    if (!isRecord(raw)) {
      throw badRequest('invalidSyntax', `Operations[${i}] must be an object.`);
    }
    const { op, path, value } = raw;
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw badRequest(
        'invalidSyntax',
        `Operations[${i}].op is ${JSON.stringify(op)}; RFC 7644 §3.5.2 allows "add", "remove" or "replace".`,
      );
    }
    if (path !== undefined && typeof path !== 'string') {
      throw badRequest('invalidPath', `Operations[${i}].path must be a string.`);
    }
    if (op === 'remove' && path === undefined) {
      throw badRequest(
        'noTarget',
        `Operations[${i}]: "remove" needs a "path" (RFC 7644 §3.5.2.2).`,
      );
    }
    if (op !== 'remove' && !('value' in raw)) {
      throw badRequest('invalidValue', `Operations[${i}]: "${op}" needs a "value".`);
    }
    return { op, ...(path !== undefined ? { path } : {}), ...('value' in raw ? { value } : {}) };
  });
}

/**
 * `remove` with a path to a multi-valued attribute and a value list (the form Entra uses for
 * member removal) becomes one filtered remove per listed value, matched on `value`.
 */
function expandRemoveWithValue(op: Op): Op[] {
  if (op.op !== 'remove') {
    return [op];
  }
  if (!Array.isArray(op.value) || op.path === undefined || op.path.includes('[')) {
    return [{ op: op.op, ...(op.path !== undefined ? { path: op.path } : {}) }];
  }
  const path = op.path;
  return (op.value as unknown[])
    .filter(isRecord)
    .filter((v) => typeof v.value === 'string')
    .map((v) => ({ op: 'remove' as const, path: `${path}[value eq ${quote(String(v.value))}]` }));
}

function toScimType(code: string | undefined): ScimType {
  return SCIM_TYPES.find((t) => t === code) ?? 'invalidValue';
}

/**
 * Applies a PatchOp body to `current` (the served representation) and returns the new
 * representation, to be validated like a PUT body by the store.
 */
export function applyPatch(
  type: SandboxResourceType,
  current: Record<string, unknown>,
  body: unknown,
): Record<string, unknown> {
  const ops = readOps(body)
    .flatMap((op) => (op.path === undefined ? expandNoPath(type, op) : [op]))
    .map((op) => ({
      ...op,
      ...(op.path !== undefined ? { path: canonicalPath(type, op.path) } : {}),
    }))
    .flatMap(expandRemoveWithValue);
  const doc = { ...current, meta: { created: new Date(0), lastModified: new Date(0) } };
  delete (doc as Record<string, unknown>).groups;
  try {
    const patched = scimPatch(doc as never, ops as ScimPatchOperation[], {
      mutateDocument: false,
      // RFC 7644 §3.5.2.3: a replace whose value filter matches nothing is noTarget, not an add.
      treatMissingAsAdd: false,
    }) as Record<string, unknown>;
    return patched;
  } catch (e) {
    const code = isRecord(e) && typeof e.scimCode === 'string' ? e.scimCode : undefined;
    const message = e instanceof Error ? e.message : String(e);
    throw badRequest(toScimType(code), message.replace(/^Invalid SCIM Patch: /, ''));
  }
}
