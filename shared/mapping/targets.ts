/**
 * Mapping targets: column paths (`shared/columns/columns.ts`) checked against the SCIM schemas of
 * the resource type, so a typo such as `name.givnName` is caught when the mapping is compiled, not
 * by the server halfway through a run.
 */
import {
  ColumnHeaderError,
  findSubAttribute,
  parseColumnHeader,
  type ColumnSpec,
} from '../columns/columns';
import type { SchemaAttribute, ScimSchema } from '../scim/types';
import { URN } from '../scim/urns';
import { closestMatch } from './text';
import { type CoreResourceKind } from '../scim/resource-types';

/** A target the schemas accept. */
export type ResolvedTarget = {
  column: ColumnSpec;
  /** The value type, when the schemas know it (`boolean` cells are written `true`/`false`). */
  type?: SchemaAttribute['type'];
};

/** What target checks need: the resource type and every schema (built-in ones included). */
export type TargetContext = {
  resourceType: CoreResourceKind;
  schemas: readonly ScimSchema[];
};

/** Core multi-valued attributes whose values are told apart by `type`. */
const TYPED = new Set(['emails', 'phonenumbers', 'ims', 'photos', 'addresses']);
/** Attributes the server sets. */
const SERVER_SET = new Set(['id', 'meta', 'schemas']);

/** The core schema of the resource type. */
function coreSchema(ctx: TargetContext): ScimSchema | undefined {
  const id = (ctx.resourceType === 'Group' ? URN.group : URN.user).toLowerCase();
  return ctx.schemas.find((s) => s.id.toLowerCase() === id);
}

/** Extension schemas (anything but the core User and Group schemas). */
function extensionSchemas(ctx: TargetContext): ScimSchema[] {
  const core = [URN.user.toLowerCase(), URN.group.toLowerCase()];
  return ctx.schemas.filter((s) => !core.includes(s.id.toLowerCase()));
}

const byName = (attrs: readonly SchemaAttribute[] | undefined, name: string) =>
  attrs?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** Resolves and checks a target path; a reason (one sentence part) when it cannot be a target. */
export function resolveTarget(
  text: string,
  ctx: TargetContext,
): { ok: true; target: ResolvedTarget } | { ok: false; reason: string } {
  let column: ColumnSpec;
  try {
    column = parseColumnHeader(text, { schemas: ctx.schemas });
  } catch (e) {
    if (e instanceof ColumnHeaderError) return { ok: false, reason: e.message.replace(/\.$/, '') };
    throw e;
  }
  const path = column.path;
  if (path.kind === 'groups') {
    return {
      ok: false,
      reason:
        ctx.resourceType === 'User'
          ? 'group memberships are mapped with the "groups" section of the mapping, not as an attribute'
          : '"groups" is an attribute of users, not of groups',
    };
  }
  if (path.kind === 'members') {
    return ctx.resourceType === 'Group'
      ? { ok: true, target: { column, type: 'string' } }
      : { ok: false, reason: '"members" is an attribute of groups, not of users' };
  }
  const attrLower = path.attr.toLowerCase();
  if (path.uri === undefined && SERVER_SET.has(attrLower)) {
    return { ok: false, reason: `"${path.attr}" is set by the server and cannot be imported` };
  }
  if (path.uri === undefined && attrLower === 'externalid') {
    return path.subAttr === undefined && path.kind === 'single'
      ? { ok: true, target: { column, type: 'string' } }
      : { ok: false, reason: '"externalId" is a simple attribute' };
  }
  const schema =
    path.uri === undefined
      ? coreSchema(ctx)
      : ctx.schemas.find((s) => s.id.toLowerCase() === (path.uri ?? '').toLowerCase());
  if (!schema) {
    return {
      ok: false,
      reason: `no schema "${path.uri ?? ''}" is known for ${ctx.resourceType}s (the server does not list it)`,
    };
  }
  const def = byName(schema.attributes, path.attr);
  if (!def) return { ok: false, reason: unknownAttribute(text, path.uri, path.attr, ctx) };
  let leaf: SchemaAttribute = def;
  if (path.subAttr !== undefined) {
    if (def.type !== 'complex') {
      return { ok: false, reason: `"${def.name}" has no sub-attributes` };
    }
    const sub = findSubAttribute(def, path.subAttr);
    if (!sub) {
      const subs = (def.subAttributes ?? []).map((s) => s.name).join(', ');
      return {
        ok: false,
        reason: `"${def.name}" has no sub-attribute "${path.subAttr}" (it has ${subs})`,
      };
    }
    leaf = sub;
  }
  if (def.mutability === 'readOnly' || leaf.mutability === 'readOnly') {
    return { ok: false, reason: `"${text}" is read-only on the server` };
  }
  return { ok: true, target: { column, type: leaf.type } };
}

/** The reason for an unknown attribute, with the likely intended path. */
function unknownAttribute(
  text: string,
  uri: string | undefined,
  attr: string,
  ctx: TargetContext,
): string {
  if (uri === undefined) {
    for (const ext of extensionSchemas(ctx)) {
      const def = byName(ext.attributes, attr);
      if (def) {
        return `"${attr}" is an attribute of the extension ${ext.id}; write "${ext.id}:${text}"`;
      }
    }
  }
  const where = uri ?? `${ctx.resourceType}s`;
  return `"${attr}" is not an attribute of ${where}${didYouMean(text, knownTargets(ctx))}`;
}

/** ` (did you mean "x"?)` for the closest known target, or nothing. */
function didYouMean(text: string, known: readonly string[]): string {
  const leaf = text.split(/[.:]/).pop()?.toLowerCase() ?? '';
  const byLeaf = known.filter((k) => k.split(/[.:]/).pop()?.toLowerCase() === leaf);
  const guess = byLeaf.length === 1 ? byLeaf[0] : closestMatch(text, known);
  return guess === undefined ? '' : ` (did you mean "${guess}"?)`;
}

/**
 * Target paths a mapping can use for the resource type, writable ones only: `userName`,
 * `name.givenName`, `emails[type eq "work"].value` (one per canonical type), `roles.value`,
 * `urn:…:User:employeeNumber`, `urn:…:User:manager.value`, …
 */
export function knownTargets(ctx: TargetContext): string[] {
  const out: string[] = ['externalId'];
  const core = coreSchema(ctx);
  if (core) addSchemaTargets(out, undefined, core.attributes);
  if (ctx.resourceType === 'User') {
    for (const ext of extensionSchemas(ctx)) {
      if (/:group$/i.test(ext.id)) continue;
      addSchemaTargets(out, ext.id, ext.attributes);
    }
  }
  return out;
}

function addSchemaTargets(
  out: string[],
  uri: string | undefined,
  attrs: readonly SchemaAttribute[],
): void {
  const prefix = uri === undefined ? '' : `${uri}:`;
  for (const a of attrs) {
    if (a.mutability === 'readOnly') continue;
    const name = `${prefix}${a.name}`;
    if (a.type !== 'complex') {
      out.push(name);
      continue;
    }
    const subs = (a.subAttributes ?? []).filter(
      (s) => s.mutability !== 'readOnly' && s.type !== 'complex',
    );
    if (!a.multiValued) {
      for (const s of subs) out.push(`${name}.${s.name}`);
    } else if (uri === undefined && TYPED.has(a.name.toLowerCase())) {
      const types = findSubAttribute(a, 'type')?.canonicalValues ?? ['work'];
      for (const t of types) {
        for (const s of subs) {
          if (s.name !== 'type') out.push(`${name}[type eq ${JSON.stringify(t)}].${s.name}`);
        }
      }
    } else if (a.name.toLowerCase() !== 'members' && a.name.toLowerCase() !== 'groups') {
      out.push(`${name}.value`);
    }
  }
  if (uri === undefined && attrs.some((a) => a.name.toLowerCase() === 'members')) {
    out.push('members');
  }
}
