/**
 * The resource to POST for a row that matches no server resource (RFC 7644 §3.3).
 *
 * Built with `unflattenRow`, so the typing is the export's (booleans, numbers, typed and primary
 * values, joined lists). Empty, `null` and `undefined` cells are left out. Not included: read-only
 * targets (`id`, `meta`, a User's `groups`, `manager.displayName`, …; the mapping check reports
 * them) and `groups` / `members` columns, which the planner turns into membership changes. A value
 * that is the only one of `emails`, `phoneNumbers`, `ims`, `photos` or `addresses` is marked
 * `primary: true` unless a column sets `primary`, as `diffResource` does for a first value.
 */
import type { ColumnSpec } from '../../shared/columns/columns';
import { isRecord, isTypedStyle } from '../columns/flatten';
import { unflattenRow } from '../columns/unflatten';
import type { DesiredCell } from '../../shared/import/types';
import type { ScimResource, ScimSchema } from '../../shared/scim/types';
import { findKey, type JsonObject } from './resource-access';
import { canonicalExtensionUrn, type PlanResourceType } from './resource-type';
import { compileTargets, isWritable } from '../plan/target-info';

/** Options for {@link buildCreateResource}. */
type CreateOptions = {
  /** The server's schemas; the built-in RFC 7643 ones fill the gaps. */
  readonly schemas?: readonly ScimSchema[];
  readonly resourceType: PlanResourceType;
};

/**
 * The new resource for a row: `schemas` (the core URN, then each extension URN the row uses, as the
 * resource type spells it) followed by the row's attributes.
 *
 * @throws ColumnHeaderError when two targets set the same attribute in incompatible ways (the
 *   mapping compiler rejects such mappings first).
 */
export function buildCreateResource(
  targets: readonly ColumnSpec[],
  cells: readonly DesiredCell[],
  opts: CreateOptions,
): ScimResource {
  const compiled = compileTargets(targets, opts.schemas);
  const columns: ColumnSpec[] = [];
  const texts: string[] = [];
  for (const info of compiled.infos) {
    const cell = cells[info.index];
    if (!isWritable(info) || typeof cell !== 'string' || cell === '') continue;
    columns.push(info.spec);
    texts.push(cell);
  }
  const fragment = unflattenRow(columns, texts, { schemas: compiled.schemas });
  const body: JsonObject = {};
  const extensions: string[] = [];
  for (const [key, value] of Object.entries(fragment)) {
    if (/^urn:/i.test(key) && isRecord(value)) {
      const urn = canonicalExtensionUrn(opts.resourceType, key);
      extensions.push(urn);
      body[urn] = value;
    } else {
      if (Array.isArray(value) && isTypedStyle({ attr: key })) markSolePrimary(value);
      body[key] = value;
    }
  }
  return { schemas: [opts.resourceType.schema, ...extensions], ...body };
}

/** Sets `primary: true` on the only value of a multi-valued attribute when no column set it. */
function markSolePrimary(values: unknown[]): void {
  const [only] = values;
  if (values.length === 1 && isRecord(only) && findKey(only, 'primary') === undefined) {
    only['primary'] = true;
  }
}
