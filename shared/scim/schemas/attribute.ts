/**
 * Helpers for writing the built-in schema definitions: every attribute comes out with all the RFC 7643
 * §2.2 / §7 characteristics spelled out, with §7's defaults where the RFC schema omits them
 * (multiValued false, required false, caseExact false, mutability readWrite, returned default,
 * uniqueness none).
 */
import type { SchemaAttribute } from '../types';

type Characteristics = Partial<Omit<SchemaAttribute, 'name' | 'type'>>;

/** One attribute with every characteristic filled in. */
export function attr(
  name: string,
  type: SchemaAttribute['type'],
  description: string,
  c: Characteristics = {},
): SchemaAttribute {
  return {
    name,
    type,
    multiValued: c.multiValued ?? false,
    description,
    required: c.required ?? false,
    caseExact: c.caseExact ?? false,
    mutability: c.mutability ?? 'readWrite',
    returned: c.returned ?? 'default',
    uniqueness: c.uniqueness ?? 'none',
    ...(c.canonicalValues ? { canonicalValues: c.canonicalValues } : {}),
    ...(c.referenceTypes ? { referenceTypes: c.referenceTypes } : {}),
    ...(c.subAttributes ? { subAttributes: c.subAttributes } : {}),
  };
}

/** A string attribute (the most common case). */
export function str(name: string, description: string, c: Characteristics = {}): SchemaAttribute {
  return attr(name, 'string', description, c);
}

/**
 * The `value`/`display`/`type`/`primary` sub-attributes shared by the multi-valued User attributes
 * (RFC 7643 §2.4, §4.1.2), with the given `value` type and `type` canonical values.
 */
export function multiValuedSubs(
  what: string,
  valueType: SchemaAttribute['type'],
  canonicalTypes: string[],
  valueExtra: Characteristics = {},
): SchemaAttribute[] {
  return [
    attr('value', valueType, `The ${what} value.`, valueExtra),
    str('display', `A human-readable name, primarily used for display purposes.`),
    str('type', `A label indicating the ${what}'s function.`, { canonicalValues: canonicalTypes }),
    attr('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred ${what}.`),
  ];
}
