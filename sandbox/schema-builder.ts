import type { SchemaAttribute } from '../shared/scim/types';

type AttrOptions = Partial<Omit<SchemaAttribute, 'name' | 'type'>>;

/**
 * Builds an attribute definition with the RFC 7643 §2.2 defaults (single-valued, optional,
 * caseExact false, readWrite, returned default, uniqueness none), so the schema tables stay short.
 */
export function attr(
  name: string,
  type: SchemaAttribute['type'],
  options: AttrOptions = {},
): SchemaAttribute {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

/** The `value`/`display`/`type`/`primary` shape shared by RFC 7643 §2.4 multi-valued attributes. */
export function multiValued(
  name: string,
  types: string[] | undefined,
  valueType: SchemaAttribute['type'] = 'string',
  extra: SchemaAttribute[] = [],
): SchemaAttribute {
  return attr(name, 'complex', {
    multiValued: true,
    subAttributes: [
      attr('value', valueType),
      attr('display', 'string'),
      attr('type', 'string', types !== undefined ? { canonicalValues: types } : {}),
      attr('primary', 'boolean'),
      ...extra,
    ],
  });
}
