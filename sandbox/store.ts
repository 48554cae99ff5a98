/**
 * The sandbox's in-memory resource store: Users and Groups in Maps with secondary indexes, a
 * creation-ordered array per type (stable order for paging and cursors), uniqueness and ETag
 * checks, and group membership kept consistent in both directions.
 */
import { randomUUID } from 'node:crypto';
import type { ScimResource } from '../shared/scim/types';
import { isRecord } from './attribute-resolver';
import { compileFilter } from './filter-eval';
import { applyPatch } from './patch';
import { recordHolder, renderResource } from './render';
import { SandboxError, badRequest } from './sandbox-error';
import type { SandboxResourceType } from './schemas';
import { indexedCandidates } from './store-query';
import {
  createIndexes,
  idsAt,
  indexRecord,
  unindexRecord,
  type StoreIndexes,
  type StoredRecord,
} from './store-indexes';
import { matchesIfMatch, versionOf, type SandboxStore, type WriteOptions } from './store-types';
import { normaliseResource } from './validate';

export type { StoredRecord } from './store-indexes';
export type { SandboxStore } from './store-types';

/** Creates an empty store. */
type SandboxStoreOptions = {
  /**
   * Enforce uniqueness of userName and group displayName (409 `uniqueness`); default true. Off
   * imitates servers that accept duplicates, where a blindly replayed create makes a second account.
   */
  uniqueness?: boolean;
};

export function createSandboxStore(options: SandboxStoreOptions = {}): SandboxStore {
  const unique = options.uniqueness !== false;
  const byId: Record<SandboxResourceType, Map<string, StoredRecord>> = {
    User: new Map(),
    Group: new Map(),
  };
  const order: Record<SandboxResourceType, StoredRecord[]> = { User: [], Group: [] };
  let ix: StoreIndexes = createIndexes();
  let seq = 0;
  let rev = 0;
  const listeners = new Set<() => void>();

  const changed = (): void => {
    for (const l of listeners) {
      l();
    }
  };
  const lookup = {
    indexes: ix,
    byId: (t: SandboxResourceType, id: string) => byId[t].get(id),
    unique,
  };

  const render = (r: StoredRecord): ScimResource => renderResource(store, r, undefined);

  function mustGet(type: SandboxResourceType, id: string): StoredRecord {
    const r = byId[type].get(id);
    if (r === undefined) {
      throw new SandboxError(404, `${type} ${id} not found.`);
    }
    return r;
  }

  function checkIfMatch(r: StoredRecord, options: WriteOptions | undefined): void {
    const h = options?.ifMatch;
    if (h !== undefined && !matchesIfMatch(h, r.rev)) {
      throw new SandboxError(
        412,
        `If-Match ${h} does not match the current version ${versionOf(r.rev)}; re-read the resource.`,
      );
    }
  }

  function checkUnique(
    type: SandboxResourceType,
    data: Record<string, unknown>,
    selfId?: string,
  ): void {
    if (!unique) return;
    if (type === 'User' && typeof data.userName === 'string') {
      const other = ix.userName.get(data.userName.toLowerCase());
      if (other !== undefined && other !== selfId) {
        throw new SandboxError(
          409,
          `userName "${data.userName}" is already taken (case-insensitive).`,
          'uniqueness',
        );
      }
    }
    if (type === 'Group' && typeof data.displayName === 'string') {
      const other = ix.displayName.get(data.displayName.toLowerCase());
      if (other !== undefined && other !== selfId) {
        throw new SandboxError(
          409,
          `A group named "${data.displayName}" already exists.`,
          'uniqueness',
        );
      }
    }
  }

  /** Members must exist; their `type` is filled in from where they were found. */
  function resolveMembers(data: Record<string, unknown>, selfId?: string): void {
    if (!Array.isArray(data.members)) {
      return;
    }
    const seen = new Set<string>();
    const out: Record<string, unknown>[] = [];
    for (const m of data.members as unknown[]) {
      if (!isRecord(m) || typeof m.value !== 'string') {
        throw badRequest('invalidValue', 'Every member needs a "value" with the member\'s id.');
      }
      const kind = byId.User.has(m.value) ? 'User' : byId.Group.has(m.value) ? 'Group' : undefined;
      if (kind === undefined || m.value === selfId) {
        throw badRequest('invalidValue', `Member "${m.value}" is not an existing User or Group.`);
      }
      if (!seen.has(m.value)) {
        seen.add(m.value);
        out.push({ value: m.value, type: kind });
      }
    }
    data.members = out;
  }

  function insert(r: StoredRecord): StoredRecord {
    byId[r.type].set(r.id, r);
    order[r.type].push(r);
    indexRecord(ix, r);
    return r;
  }

  function write(
    type: SandboxResourceType,
    r: StoredRecord,
    data: Record<string, unknown>,
  ): StoredRecord {
    checkUnique(type, data, r.id);
    if (type === 'Group') {
      resolveMembers(data, r.id);
    }
    unindexRecord(ix, r);
    r.data = data;
    r.rev = ++rev;
    r.lastModified = new Date().toISOString();
    indexRecord(ix, r);
    changed();
    return r;
  }

  function positionOf(type: SandboxResourceType, r: StoredRecord): number {
    const arr = order[type];
    let lo = 0;
    let hi = arr.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = arr[mid]?.seq ?? 0;
      if (s === r.seq) {
        return mid;
      }
      if (s < r.seq) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /** Drops `memberId` from every group listing it (member deleted). */
  function dropMembership(memberId: string): void {
    for (const gid of idsAt(ix.memberOf, memberId)) {
      const g = byId.Group.get(gid);
      if (g !== undefined) {
        const members = (g.data.members as Record<string, unknown>[]).filter(
          (m) => m.value !== memberId,
        );
        const data = { ...g.data };
        if (members.length > 0) {
          data.members = members;
        } else {
          delete data.members;
        }
        write('Group', g, data);
      }
    }
  }

  const store: SandboxStore = {
    count: (type) => byId[type].size,
    userCount: () => byId.User.size,
    groupCount: () => byId.Group.size,
    get: (type, id) => {
      const r = byId[type].get(id);
      return r === undefined ? undefined : render(r);
    },
    getUserByUserName: (userName) => {
      const id = ix.userName.get(userName.toLowerCase());
      return id === undefined ? undefined : store.get('User', id);
    },
    getUsersByExternalId: (externalId) =>
      idsAt(ix.externalId.User, externalId).flatMap((id) => store.get('User', id) ?? []),
    getGroupByDisplayName: (displayName) => {
      const id = ix.displayName.get(displayName.toLowerCase());
      return id === undefined ? undefined : store.get('Group', id);
    },
    list: (type) => order[type].map(render),
    create: (type, body) => {
      const data = normaliseResource(type, body);
      checkUnique(type, data);
      if (type === 'Group') {
        resolveMembers(data);
      }
      const now = new Date().toISOString();
      const r = insert({
        type,
        id: randomUUID(),
        seq: ++seq,
        created: now,
        lastModified: now,
        rev: ++rev,
        data,
      });
      changed();
      return render(r);
    },
    replace: (type, id, body, options) => {
      const r = mustGet(type, id);
      checkIfMatch(r, options);
      return render(write(type, r, normaliseResource(type, body)));
    },
    patch: (type, id, body, options) => {
      const r = mustGet(type, id);
      checkIfMatch(r, options);
      const patched = applyPatch(type, render(r), body);
      return render(write(type, r, normaliseResource(type, patched)));
    },
    remove: (type, id, options) => {
      const r = mustGet(type, id);
      checkIfMatch(r, options);
      unindexRecord(ix, r);
      byId[type].delete(id);
      const pos = positionOf(type, r);
      if (pos >= 0) {
        order[type].splice(pos, 1);
      }
      rev++;
      dropMembership(id);
      changed();
    },
    clear: () => {
      byId.User.clear();
      byId.Group.clear();
      order.User = [];
      order.Group = [];
      ix = createIndexes();
      lookup.indexes = ix;
      rev++;
      changed();
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    record: (type, id) => byId[type].get(id),
    query: (type, filter) => {
      if (filter === undefined) {
        return order[type];
      }
      const predicate = compileFilter<StoredRecord>(type, filter, (r, p) =>
        recordHolder(store, r, p),
      );
      const candidates = indexedCandidates(type, filter, lookup);
      if (candidates === undefined) {
        return order[type].filter((r) => predicate(r));
      }
      const out: StoredRecord[] = [];
      for (const id of candidates) {
        const r = byId[type].get(id);
        if (r !== undefined && predicate(r)) {
          out.push(r);
        }
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
    insertTrusted: (input) => {
      checkUnique(input.type, input.data);
      const r: StoredRecord = { ...input, seq: input.seq ?? ++seq, rev: input.rev ?? ++rev };
      seq = Math.max(seq, r.seq);
      rev = Math.max(rev, r.rev);
      insert(r);
      if (order[r.type].length > 1 && (order[r.type].at(-2)?.seq ?? 0) > r.seq) {
        order[r.type].sort((a, b) => a.seq - b.seq);
      }
      changed();
      return r;
    },
    records: function* () {
      yield* order.User;
      yield* order.Group;
    },
    revision: () => rev,
    groupsOf: (memberId) =>
      idsAt(ix.memberOf, memberId).flatMap((gid) => {
        const g = byId.Group.get(gid);
        return g === undefined
          ? []
          : [
              {
                id: gid,
                displayName: typeof g.data.displayName === 'string' ? g.data.displayName : '',
              },
            ];
      }),
  };
  return store;
}
