/**
 * Secondary indexes over stored resources, so `eq` filters on the attributes clients look people
 * up by (userName, externalId, emails, group displayName, membership) answer without a scan.
 */
import type { SandboxResourceType } from './schemas';
import { isRecord } from './attribute-resolver';

/** One resource as the store keeps it. */
export type StoredRecord = {
  type: SandboxResourceType;
  id: string;
  /** Creation order; gives the stable order that cursors and unsorted pages use. */
  seq: number;
  created: string;
  lastModified: string;
  /** Store-wide revision at the last write; the ETag is `W/"<rev>"`. */
  rev: number;
  /** Writable attributes in canonical form (no id, meta, schemas). */
  data: Record<string, unknown>;
};

/**
 * Key → ids. Most keys map to one id, so a single id is stored as a plain string and only
 * upgraded to a Set on the second; 100k small Sets cost far more time and memory than strings.
 */
export type MultiIndex = Map<string, string | Set<string>>;

function addTo(map: MultiIndex, key: string, id: string): void {
  const cur = map.get(key);
  if (cur === undefined) {
    map.set(key, id);
  } else if (typeof cur === 'string') {
    if (cur !== id) {
      map.set(key, new Set([cur, id]));
    }
  } else {
    cur.add(id);
  }
}

function removeFrom(map: MultiIndex, key: string, id: string): void {
  const cur = map.get(key);
  if (cur === id) {
    map.delete(key);
  } else if (cur instanceof Set) {
    cur.delete(id);
    if (cur.size === 1) {
      const [only] = cur;
      if (only !== undefined) {
        map.set(key, only);
      }
    } else if (cur.size === 0) {
      map.delete(key);
    }
  }
}

/** Ids under a key (empty when none). */
export function idsAt(map: MultiIndex, key: string): string[] {
  const cur = map.get(key);
  return cur === undefined ? [] : typeof cur === 'string' ? [cur] : [...cur];
}

function emailsOf(data: Record<string, unknown>): string[] {
  const emails = data.emails;
  if (!Array.isArray(emails)) {
    return [];
  }
  const out: string[] = [];
  for (const e of emails as unknown[]) {
    if (isRecord(e) && typeof e.value === 'string') {
      out.push(e.value.toLowerCase());
    }
  }
  return out;
}

/** Member ids of a group's stored data. */
export function memberIdsOf(data: Record<string, unknown>): string[] {
  const members = data.members;
  if (!Array.isArray(members)) {
    return [];
  }
  const out: string[] = [];
  for (const m of members as unknown[]) {
    if (isRecord(m) && typeof m.value === 'string') {
      out.push(m.value);
    }
  }
  return out;
}

/** Lookup tables for one store. Callers keep them in step via `add`/`remove`. */
export type StoreIndexes = {
  /** Lower-cased userName → user id (unique). */
  userName: Map<string, string>;
  /** Lower-cased group displayName → group id (unique). */
  displayName: Map<string, string>;
  /** externalId (caseExact) → ids, per type. */
  externalId: Record<SandboxResourceType, MultiIndex>;
  /** Lower-cased email value → user ids. */
  email: MultiIndex;
  /** Member id (user or group) → ids of groups that list it. */
  memberOf: MultiIndex;
};

/** Empty indexes. */
export function createIndexes(): StoreIndexes {
  return {
    userName: new Map(),
    displayName: new Map(),
    externalId: { User: new Map(), Group: new Map() },
    email: new Map(),
    memberOf: new Map(),
  };
}

/** Adds a record's keys to the indexes. */
export function indexRecord(ix: StoreIndexes, r: StoredRecord): void {
  if (typeof r.data.externalId === 'string') {
    addTo(ix.externalId[r.type], r.data.externalId, r.id);
  }
  if (r.type === 'User') {
    if (typeof r.data.userName === 'string') {
      ix.userName.set(r.data.userName.toLowerCase(), r.id);
    }
    for (const e of emailsOf(r.data)) {
      addTo(ix.email, e, r.id);
    }
  } else {
    if (typeof r.data.displayName === 'string') {
      ix.displayName.set(r.data.displayName.toLowerCase(), r.id);
    }
    for (const m of memberIdsOf(r.data)) {
      addTo(ix.memberOf, m, r.id);
    }
  }
}

/** Removes a record's keys from the indexes. */
export function unindexRecord(ix: StoreIndexes, r: StoredRecord): void {
  if (typeof r.data.externalId === 'string') {
    removeFrom(ix.externalId[r.type], r.data.externalId, r.id);
  }
  if (r.type === 'User') {
    if (typeof r.data.userName === 'string') {
      const key = r.data.userName.toLowerCase();
      if (ix.userName.get(key) === r.id) {
        ix.userName.delete(key);
      }
    }
    for (const e of emailsOf(r.data)) {
      removeFrom(ix.email, e, r.id);
    }
  } else {
    if (typeof r.data.displayName === 'string') {
      const key = r.data.displayName.toLowerCase();
      if (ix.displayName.get(key) === r.id) {
        ix.displayName.delete(key);
      }
    }
    for (const m of memberIdsOf(r.data)) {
      removeFrom(ix.memberOf, m, r.id);
    }
  }
}
