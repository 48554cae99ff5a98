/**
 * Finds a manager among the users a run creates: the run's create bodies indexed by the keys a
 * mapping can name a manager by (`employeeNumber`, `userName`, `externalId`, work `email`). Values
 * are normalised as the planner matches them (`normaliseForMatch`): case-insensitive except
 * `externalId`, which RFC 7643 makes case-exact.
 */
import type { ManagerKey } from '../../../shared/mapping/spec';
import type { PlanRow } from '../../../shared/import/types';
import { normaliseForMatch } from '../../plan/within-file-keys';
import type { ScimResource } from '../../../shared/scim/types';
import { URN } from '../../../shared/scim/urns';

const MANAGER_KEYS: readonly ManagerKey[] = ['employeeNumber', 'userName', 'externalId', 'email'];

/** Whether the key compares case-exactly (RFC 7643 §4.1/§4.3: only externalId does). */
function keyCaseExact(by: ManagerKey): boolean {
  return by === 'externalId';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The value of one manager key in a create body, or undefined. */
function keyOf(body: ScimResource, by: ManagerKey): string | undefined {
  switch (by) {
    case 'userName':
      return text(body['userName']);
    case 'externalId':
      return text(body['externalId']);
    case 'employeeNumber': {
      const ext = body[URN.enterpriseUser];
      return isRecord(ext) ? text(ext['employeeNumber']) : undefined;
    }
    case 'email': {
      const emails = body['emails'];
      if (!Array.isArray(emails)) return undefined;
      const work = emails.find(
        (e): e is Record<string, unknown> =>
          isRecord(e) && typeof e['type'] === 'string' && e['type'].toLowerCase() === 'work',
      );
      return work ? text(work['value']) : undefined;
    }
  }
}

type CreateKeyIndex = {
  /** The seq of the one create row with this key; undefined when none or several have it. */
  resolve(ref: { by: string; value: string }): number | undefined;
  /** How many create rows have the key (0, 1, or more when ambiguous). */
  count(ref: { by: string; value: string }): number;
};

function isManagerKey(by: string): by is ManagerKey {
  return (MANAGER_KEYS as readonly string[]).includes(by);
}

/** Indexes the create rows of a plan by every manager key their bodies carry. Pure. */
export function indexCreates(rows: Iterable<PlanRow>): CreateKeyIndex {
  const index = new Map<ManagerKey, Map<string, number[]>>(MANAGER_KEYS.map((k) => [k, new Map()]));
  for (const row of rows) {
    if (row.action !== 'create' || row.create === undefined) continue;
    for (const by of MANAGER_KEYS) {
      const v = keyOf(row.create, by);
      if (v === undefined) continue;
      const byKey = index.get(by);
      const norm = normaliseForMatch(v, keyCaseExact(by));
      const seqs = byKey?.get(norm);
      if (seqs) {
        if (!seqs.includes(row.seq)) seqs.push(row.seq);
      } else byKey?.set(norm, [row.seq]);
    }
  }
  const lookup = (ref: { by: string; value: string }): number[] => {
    if (!isManagerKey(ref.by)) return [];
    return index.get(ref.by)?.get(normaliseForMatch(ref.value, keyCaseExact(ref.by))) ?? [];
  };
  return {
    resolve(ref) {
      const seqs = lookup(ref);
      return seqs.length === 1 ? seqs[0] : undefined;
    },
    count: (ref) => lookup(ref).length,
  };
}
