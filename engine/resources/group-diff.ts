/**
 * The membership changes for one user: the groups a row names against the groups the user is in.
 * Group display names compare after NFC normalisation and trimming, case-insensitively (`Sales`,
 * ` sales ` and `SALES` are one group); a current group also matches a desired one when the
 * directory gives the desired name the current group's id (a renamed group, or a server that
 * returns no `display`).
 */
import type { GroupChange } from '../../shared/import/types';

/** A group the user is in: its id (`value`) and display name. */
type CurrentGroup = { readonly value: string; readonly display: string };

/** `add`: only add missing memberships; `sync`: also remove memberships the row does not name. */
type GroupsMode = 'add' | 'sync';

/** Memberships to add and to remove. */
type GroupDiff = { add: GroupChange[]; remove: GroupChange[] };

/** The comparison form of a group display name: NFC, trimmed, lower-cased. */
export function groupNameKey(display: string): string {
  return display.normalize('NFC').trim().toLowerCase().normalize('NFC');
}

/**
 * Compares the desired groups (`undefined`: the row says nothing, so nothing changes) with the
 * current ones. Added groups carry the id `known` gives for their name; one without an id does not
 * exist yet and will be created. Blank and repeated names are ignored. In `sync` mode every current
 * group the row does not name is removed (pass direct memberships only: indirect ones cannot be
 * removed from the user).
 */
export function diffGroups(
  desired: readonly string[] | undefined,
  current: readonly CurrentGroup[],
  mode: GroupsMode,
  known: (display: string) => { id: string } | undefined,
): GroupDiff {
  if (desired === undefined) return { add: [], remove: [] };
  const wanted = new Map<string, GroupChange>();
  for (const name of desired) {
    const display = name.trim();
    const key = groupNameKey(display);
    if (key === '' || wanted.has(key)) continue;
    const id = known(display)?.id;
    wanted.set(key, id !== undefined ? { display, id } : { display });
  }
  const wantedIds = new Set([...wanted.values()].map((g) => g.id).filter((id) => id !== undefined));
  const currentKeys = new Set<string>();
  const currentIds = new Set<string>();
  const remove: GroupChange[] = [];
  for (const group of current) {
    const key = groupNameKey(group.display);
    currentKeys.add(key);
    if (group.value !== '') currentIds.add(group.value);
    const named = (key !== '' && wanted.has(key)) || wantedIds.has(group.value);
    if (!named && mode === 'sync' && (key !== '' || group.value !== '')) {
      const display = group.display.trim() || group.value;
      remove.push(group.value !== '' ? { display, id: group.value } : { display });
    }
  }
  const add = [...wanted.entries()]
    .filter(([key, g]) => !currentKeys.has(key) && !(g.id !== undefined && currentIds.has(g.id)))
    .map(([, g]) => g);
  return { add, remove };
}
