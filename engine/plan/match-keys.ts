/**
 * Match keys: which target columns identify an account (`externalId`, then `userName`, then the
 * work email…), how each compares (the schema's `caseExact`), and matching a mapped row against
 * the snapshot index. Several candidates for one key are a conflict, never a guess.
 */
import {
  findAttribute,
  findSubAttribute,
  parseColumnHeader,
  type ColumnSpec,
} from '../../shared/columns/columns';
import type { DesiredCell } from '../../shared/import/types';
import type { ScimSchema } from '../../shared/scim/types';
import { AppError } from '../../shared/errors/errors';
import {
  keyValue,
  type IndexKey,
  type MatchNormaliser,
  type SnapshotIndex,
} from './snapshot-index';

/** The schema's caseExact for a column (false when unknown, as RFC 7643 §2.2 defaults). */
export function caseExactOf(column: ColumnSpec, schemas: readonly ScimSchema[]): boolean {
  const p = column.path;
  if (p.kind === 'groups' || p.kind === 'members') return false;
  const def = findAttribute(schemas, p.uri, p.attr);
  const sub = 'subAttr' in p && p.subAttr !== undefined ? findSubAttribute(def, p.subAttr) : def;
  return sub?.caseExact ?? false;
}

/** A match key bound to the mapping: where each part's value is in a mapped row. */
export type BoundKey = IndexKey & { targetIndex: number[] };

/** Binds key paths (as in the mapping spec) to target columns. */
export function bindKeys(
  keys: readonly (readonly string[])[],
  targets: readonly ColumnSpec[],
  schemas: readonly ScimSchema[],
): BoundKey[] {
  const byHeader = new Map(targets.map((t, i) => [t.header.toLowerCase(), i]));
  return keys.map((parts) => {
    const targetIndex: number[] = [];
    const specs = parts.map((part) => {
      const column = parseColumnHeader(part, { schemas });
      const i = byHeader.get(column.header.toLowerCase()) ?? byHeader.get(part.toLowerCase());
      if (i === undefined) {
        throw new AppError(
          'config',
          `The match key "${part}" is not one of the mapped attributes.`,
          {
            nextStep: 'Map a column to it, or remove it from the match keys.',
          },
        );
      }
      targetIndex.push(i);
      return { column, caseExact: caseExactOf(column, schemas) };
    });
    return { name: parts.join(' + '), parts: specs, targetIndex };
  });
}

type MatchOutcome =
  | { kind: 'none'; reason: string }
  | { kind: 'one'; ordinal: number; key: string; value: string; reason: string }
  | { kind: 'many'; ordinals: readonly number[]; key: string; value: string; reason: string };

/** The row's value for a key (raw cell text joined), or undefined when a part is empty. */
function rowKeyText(cells: readonly DesiredCell[], key: BoundKey): string | undefined {
  const parts: string[] = [];
  for (const i of key.targetIndex) {
    const c = cells[i];
    if (typeof c !== 'string' || c.trim() === '') return undefined;
    parts.push(c);
  }
  return parts.join(' + ');
}

/** Tries each key in order; the first key with a value on the row and a hit decides. */
export function matchRow(
  cells: readonly DesiredCell[],
  keys: readonly BoundKey[],
  index: SnapshotIndex,
  normalise: MatchNormaliser,
): MatchOutcome {
  const tried: string[] = [];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (!key) continue;
    const raw = key.targetIndex.map((i) => cells[i]);
    if (raw.some((c) => typeof c !== 'string' || c.trim() === '')) continue;
    const value = keyValue(raw as string[], normalise, key.parts);
    if (value === undefined) continue;
    const text = rowKeyText(cells, key) ?? '';
    tried.push(key.name);
    const hits = index.find(k, value);
    if (hits.length === 1) {
      return {
        kind: 'one',
        ordinal: hits[0] ?? 0,
        key: key.name,
        value: text,
        reason: `${key.name} "${text}" matched one account${key.parts.some((p) => !p.caseExact) ? ' (case-insensitive)' : ''}.`,
      };
    }
    if (hits.length > 1) {
      return {
        kind: 'many',
        ordinals: hits,
        key: key.name,
        value: text,
        reason: `${key.name} "${text}" matched ${hits.length} accounts; the plan will not guess which one.`,
      };
    }
  }
  return {
    kind: 'none',
    reason: tried.length
      ? `No account has the same ${tried.join(', or ')}.`
      : 'The row has no value for any match key.',
  };
}
