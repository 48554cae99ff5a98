/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) applied to a rendered resource,
 * honouring `returned` (RFC 7643 §7): `always` attributes stay, `never` ones are already gone.
 */
import type { ScimResource } from '../shared/scim/types';
import { isRecord, resolvePath, extensionUrn, type ResolvedPath } from './attribute-resolver';
import type { SandboxResourceType } from './schemas';
import { badRequest } from './sandbox-error';

/** Splits a comma-separated attribute list (query parameter or search body). */
export function parseAttributeList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',')
      : undefined;
  if (list === undefined || !list.every((v) => typeof v === 'string')) {
    throw badRequest(
      'invalidValue',
      `"${name}" must be a comma-separated list of attribute names.`,
    );
  }
  return list.map((v: string) => v.trim()).filter((v) => v !== '');
}

type Selection = { whole: Set<string>; subs: Map<string, Set<string>> };

/** Key under which a resolved attribute lives: `name` for core, `urn\u0000name` for extensions. */
function keyOf(p: ResolvedPath): string {
  return p.container === undefined ? p.def.name : `${p.container}\u0000${p.def.name}`;
}

function select(
  type: SandboxResourceType,
  paths: string[],
): Selection & { extensions: Set<string> } {
  const sel = {
    whole: new Set<string>(),
    subs: new Map<string, Set<string>>(),
    extensions: new Set<string>(),
  };
  for (const path of paths) {
    const ext = path.toLowerCase().startsWith('urn:') ? extensionUrn(type, path) : undefined;
    if (ext !== undefined) {
      sel.extensions.add(ext);
      continue;
    }
    const p = resolvePath(type, path);
    if (p === undefined) {
      // Unknown names select nothing; RFC 7644 does not make them an error.
      continue;
    }
    if (p.sub === undefined) {
      sel.whole.add(keyOf(p));
    } else {
      const set = sel.subs.get(keyOf(p)) ?? new Set<string>();
      set.add(p.sub.name);
      sel.subs.set(keyOf(p), set);
    }
  }
  return sel;
}

function pick(value: unknown, subs: Set<string>, keep: boolean): unknown {
  const one = (v: unknown): unknown => {
    if (!isRecord(v)) {
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (subs.has(k) === keep) {
        out[k] = x;
      }
    }
    return out;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

const ALWAYS = new Set(['schemas', 'id']);

function project(
  type: SandboxResourceType,
  resource: ScimResource,
  paths: string[],
  include: boolean,
): ScimResource {
  const sel = select(type, paths);
  const out: ScimResource = { schemas: resource.schemas };
  const visit = (
    holder: Record<string, unknown>,
    container: string | undefined,
    target: Record<string, unknown>,
  ) => {
    for (const [name, value] of Object.entries(holder)) {
      if (container === undefined && (ALWAYS.has(name) || name.startsWith('urn:'))) {
        continue;
      }
      const key = container === undefined ? name : `${container}\u0000${name}`;
      const wholeHit =
        sel.whole.has(key) || (container !== undefined && sel.extensions.has(container));
      const subs = sel.subs.get(key);
      if (include) {
        if (wholeHit) {
          target[name] = value;
        } else if (subs !== undefined) {
          target[name] = pick(value, subs, true);
        }
      } else if (!wholeHit) {
        target[name] = subs !== undefined ? pick(value, subs, false) : value;
      }
    }
  };
  if (resource.id !== undefined) {
    out.id = resource.id;
  }
  visit(resource, undefined, out);
  for (const [key, value] of Object.entries(resource)) {
    if (key.startsWith('urn:') && isRecord(value)) {
      const ext: Record<string, unknown> = {};
      visit(value, key, ext);
      if (Object.keys(ext).length > 0) {
        out[key] = ext;
      }
    }
  }
  out.schemas = resource.schemas.filter(
    (s) => !s.startsWith('urn:') || s === resource.schemas[0] || out[s] !== undefined,
  );
  return out;
}

/** Applies `attributes` (wins when both are given, RFC 7644 §3.9) or `excludedAttributes`. */
export function applyProjection(
  type: SandboxResourceType,
  resource: ScimResource,
  attributes: string[] | undefined,
  excluded: string[] | undefined,
): ScimResource {
  if (attributes !== undefined && attributes.length > 0) {
    return project(type, resource, attributes, true);
  }
  if (excluded !== undefined && excluded.length > 0) {
    return project(type, resource, excluded, false);
  }
  return resource;
}
