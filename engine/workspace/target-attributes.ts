import type { TargetAttribute } from '../../shared/ipc/schemas/import';
import { knownTargets } from '../../shared/mapping/targets';
import type { SchemaAttribute, ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { type CoreResourceKind } from '../../shared/scim/resource-types';

const byName = (attrs: readonly SchemaAttribute[] | undefined, name: string) =>
  attrs?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** Splits `urn:…:User:manager.value` into the schema URN and the attribute path. */
function splitUrn(path: string, schemas: readonly ScimSchema[]): { schema?: string; rest: string } {
  const lower = path.toLowerCase();
  const ext = schemas
    .map((s) => s.id)
    .filter((id) => lower.startsWith(`${id.toLowerCase()}:`))
    .sort((a, b) => b.length - a.length)[0];
  return ext ? { schema: ext, rest: path.slice(ext.length + 1) } : { rest: path };
}

/**
 * The attributes a mapping can set for the resource type, described from the schemas: the
 * picker in the mapping editor shows type, required, mutability and the canonical values.
 */
export function targetAttributes(
  schemas: readonly ScimSchema[],
  resourceType: CoreResourceKind,
): TargetAttribute[] {
  const coreId = (resourceType === 'User' ? URN.user : URN.group).toLowerCase();
  const core = schemas.find((s) => s.id.toLowerCase() === coreId);
  const out: TargetAttribute[] = [];
  for (const path of knownTargets({ resourceType, schemas })) {
    const { schema, rest } = splitUrn(path, schemas);
    const owner = schema ? schemas.find((s) => s.id === schema) : core;
    const names = rest.replace(/\[[^\]]*\]/g, '').split('.');
    const top = byName(owner?.attributes, names[0] ?? '');
    const leaf = names[1] ? byName(top?.subAttributes, names[1]) : top;
    const attr = leaf ?? top;
    out.push({
      path,
      schema: schema ?? 'core',
      required: Boolean(top?.required && (!names[1] || leaf?.required)),
      mutability: attr?.mutability ?? 'readWrite',
      multiValued: Boolean(top?.multiValued),
      ...(attr?.type ? { type: attr.type } : {}),
      ...(attr?.description ? { description: attr.description } : {}),
      ...(attr?.canonicalValues?.length ? { canonicalValues: attr.canonicalValues } : {}),
    });
  }
  if (resourceType === 'User') {
    out.push({
      path: 'groups',
      schema: 'core',
      required: false,
      mutability: 'readWrite',
      multiValued: true,
      type: 'string',
      description: 'Group memberships (display names), planned as membership changes.',
    });
  }
  return out;
}
