/**
 * The kind of a row that changes an existing account, derived from its changes alone — so the
 * planner, undo plans and the apply-time check all name the same change the same way. Whatever
 * else changes, a row that takes `active` from true (or absent: SCIM's default is active) to
 * false is a `deactivate`, and one that takes it from false to true is a `reactivate`.
 */
import type { AttributeChange, GroupChange, PlanAction } from '../../shared/import/types';
import { parseBooleanCell } from './cell-values';
import { sameAttrName } from '../../shared/scim/attribute-path';
import { URN } from '../../shared/scim/urns';

/** The kinds a change of an existing account can have. */
type ChangeKind = Extract<PlanAction, 'update' | 'reactivate' | 'deactivate' | 'unchanged'>;

/** True when a change's path is the core `active` attribute. */
export function isActivePath(path: string): boolean {
  const core = `${URN.user}:`;
  const bare = path.toLowerCase().startsWith(core.toLowerCase()) ? path.slice(core.length) : path;
  return sameAttrName(bare, 'active');
}

/** `deactivate` (true or absent → false), `reactivate` (false → true), or neither. */
function activeTransition(
  changes: readonly AttributeChange[] | undefined,
): 'deactivate' | 'reactivate' | undefined {
  const change = changes?.find((c) => isActivePath(c.path));
  if (!change || change.new === null) return undefined;
  const now = parseBooleanCell(change.new);
  const was = change.old === null ? undefined : parseBooleanCell(change.old);
  if (now === false && was !== false) return 'deactivate';
  if (now === true && was === false) return 'reactivate';
  return undefined;
}

/** The kind of a row with these attribute and membership changes on an existing account. */
export function kindOfChanges(
  changes: readonly AttributeChange[] | undefined,
  groups?: { add: readonly GroupChange[]; remove: readonly GroupChange[] },
): ChangeKind {
  const transition = activeTransition(changes);
  if (transition) return transition;
  const changed =
    (changes?.length ?? 0) > 0 || (groups?.add.length ?? 0) + (groups?.remove.length ?? 0) > 0;
  return changed ? 'update' : 'unchanged';
}
