/**
 * Chooses candidates for a filter: an index lookup when the filter is (or requires, through a
 * top-level `and`, or is an `or` of) an `eq` on an indexed attribute; otherwise every resource.
 */
import type { Filter } from 'scim2-parse-filter';
import { requiredEqTerms, orBranches, type EqTerm } from './filter-eval';
import type { SandboxResourceType } from './schemas';
import { idsAt, memberIdsOf, type StoreIndexes, type StoredRecord } from './store-indexes';

type Lookup = {
  indexes: StoreIndexes;
  byId: (type: SandboxResourceType, id: string) => StoredRecord | undefined;
  /** userName / displayName are unique, so their one-id indexes answer `eq` (else: a scan). */
  unique: boolean;
};

function setOf(ids: Iterable<string>): Set<string> {
  return new Set(ids);
}

function lookupTerm(type: SandboxResourceType, term: EqTerm, l: Lookup): Set<string> | undefined {
  const { path, value } = term;
  if (typeof value !== 'string') {
    return undefined;
  }
  const name = path.def.name;
  const sub = path.sub?.name;
  if (path.container !== undefined) {
    return undefined;
  }
  if (name === 'id' && sub === undefined) {
    return setOf(l.byId(type, value) !== undefined ? [value] : []);
  }
  if (name === 'externalId') {
    return setOf(idsAt(l.indexes.externalId[type], value));
  }
  if (type === 'User') {
    if (name === 'userName') {
      if (!l.unique) return undefined;
      const id = l.indexes.userName.get(value.toLowerCase());
      return setOf(id === undefined ? [] : [id]);
    }
    if (name === 'emails' && (sub === undefined || sub === 'value')) {
      return setOf(idsAt(l.indexes.email, value.toLowerCase()));
    }
    if (name === 'groups' && (sub === undefined || sub === 'value')) {
      const group = l.byId('Group', value);
      const members = group === undefined ? [] : memberIdsOf(group.data);
      return setOf(members.filter((m) => l.byId('User', m) !== undefined));
    }
    return undefined;
  }
  if (name === 'displayName') {
    if (!l.unique) return undefined;
    const id = l.indexes.displayName.get(value.toLowerCase());
    return setOf(id === undefined ? [] : [id]);
  }
  if (name === 'members' && (sub === undefined || sub === 'value')) {
    return setOf(idsAt(l.indexes.memberOf, value));
  }
  return undefined;
}

function narrowest(type: SandboxResourceType, filter: Filter, l: Lookup): Set<string> | undefined {
  let best: Set<string> | undefined;
  for (const term of requiredEqTerms(type, filter)) {
    const ids = lookupTerm(type, term, l);
    if (ids !== undefined && (best === undefined || ids.size < best.size)) {
      best = ids;
    }
  }
  return best;
}

/**
 * Candidate ids for `filter`, or undefined when a full scan is needed. Candidates are a superset
 * of the matches; the caller still applies the compiled predicate.
 */
export function indexedCandidates(
  type: SandboxResourceType,
  filter: Filter,
  lookup: Lookup,
): Set<string> | undefined {
  const direct = narrowest(type, filter, lookup);
  if (direct !== undefined) {
    return direct;
  }
  const branches = orBranches(filter);
  if (branches === undefined) {
    return undefined;
  }
  const union = new Set<string>();
  for (const b of branches) {
    const ids = narrowest(type, b, lookup);
    if (ids === undefined) {
      return undefined;
    }
    for (const id of ids) {
      union.add(id);
    }
  }
  return union;
}
