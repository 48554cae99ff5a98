/**
 * The keys a plan looks accounts up by: the mapping's match keys in precedence order, bound to
 * their target columns, and the manager key (reusing a match key on the same attribute, since the
 * employee number is usually both) — together the keys the snapshot index is built on.
 */
import { parseColumnHeader } from '../../shared/columns/columns';
import type { CompiledMapping } from '../mapping/compile';
import type { ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { bindKeys, caseExactOf, type BoundKey } from './match-keys';
import type { IndexKey } from './snapshot-index';

/** Where a manager named by each kind of key is looked up. */
const MANAGER_PATH: Record<string, string> = {
  employeeNumber: `${URN.enterpriseUser}:employeeNumber`,
  userName: 'userName',
  externalId: 'externalId',
  email: 'emails[type eq "work"].value',
};

export type PlanKeys = {
  matchKeys: BoundKey[];
  /** The snapshot index keys: the match keys, then the manager key when it is not one of them. */
  indexKeys: IndexKey[];
  manager?: {
    /** The attribute managers are named by, e.g. `urn:…:User:employeeNumber`. */
    path: string;
    /** Its position in `indexKeys`. */
    keyIndex: number;
    /** The `manager.value` target. */
    targetIndex: number;
    /** The target holding each row's own value of that key (−1 when the rows do not map it). */
    ownTarget: number;
  };
};

/** Binds the match keys and the manager key (see the file comment). */
export function bindPlanKeys(compiled: CompiledMapping, schemas: readonly ScimSchema[]): PlanKeys {
  const matchKeys = bindKeys(compiled.matchKeys, compiled.targets, schemas);
  const indexKeys: IndexKey[] = matchKeys.map(({ name, parts }) => ({ name, parts }));
  const by = compiled.spec.manager?.by;
  const path = by ? MANAGER_PATH[by] : undefined;
  if (!path || !compiled.manager) return { matchKeys, indexKeys };
  const column = parseColumnHeader(path, { schemas });
  let keyIndex = indexKeys.findIndex(
    (k) => k.parts.length === 1 && k.parts[0]?.column.header === column.header,
  );
  if (keyIndex < 0) {
    keyIndex = indexKeys.length;
    indexKeys.push({ name: path, parts: [{ column, caseExact: caseExactOf(column, schemas) }] });
  }
  const ownTarget = compiled.targets.findIndex(
    (t) => t.header.toLowerCase() === path.toLowerCase(),
  );
  return {
    matchKeys,
    indexKeys,
    manager: { path, keyIndex, targetIndex: compiled.manager.target, ownTarget },
  };
}
