/**
 * Fits a spec (a preset) to a file: mappings whose columns the file lacks are dropped, and so are
 * match keys on their targets, so the result compiles and shows only what will happen.
 */
import { columnKey, parseColumnHeader } from '../columns/columns';
import type { ScimSchema } from '../scim/types';
import type { HeaderIndex } from './headers';
import { compileSource } from './sources';
import type { MappingSpec } from './spec';

const same = (v: string): string => v;

/** The key of a target path, or undefined when it does not parse. */
function targetKey(path: string, schemas: readonly ScimSchema[]): string | undefined {
  try {
    return columnKey(parseColumnHeader(path, { schemas }).path);
  } catch {
    return undefined;
  }
}

/** `spec` without the mappings (and match keys) whose CSV columns are not in `headers`. */
export function pruneSpec(
  spec: MappingSpec,
  headers: HeaderIndex,
  schemas: readonly ScimSchema[],
): MappingSpec {
  const dropped = new Set<string>();
  const attributes = spec.attributes.flatMap((a) => {
    const source = compileSource(a.source, headers, same, true);
    if (source.ok) {
      if ('columns' in a.source) return [{ ...a, source: { columns: source.columns } }];
      return [a];
    }
    const key = targetKey(a.target, schemas);
    if (key !== undefined) dropped.add(key);
    return [];
  });
  const has = (column: string): boolean => headers.find(column) !== undefined;
  const out: MappingSpec = { ...spec, attributes };
  if (spec.active && !has(spec.active.column)) {
    delete out.active;
    dropped.add(targetKey('active', schemas) ?? '');
  }
  if (spec.groups && !has(spec.groups.column)) delete out.groups;
  if (spec.manager && !has(spec.manager.column)) delete out.manager;
  if (spec.match) {
    const keys = spec.match.keys.filter((k) =>
      k.every((path) => !dropped.has(targetKey(path, schemas) ?? '')),
    );
    if (keys.length > 0) out.match = { keys };
    else delete out.match;
  }
  return out;
}
