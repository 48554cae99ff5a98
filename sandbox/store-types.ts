/** The sandbox store's public shape and its ETag helpers (RFC 7644 §3.14, RFC 7232 §2.3). */
import type { Filter } from 'scim2-parse-filter';
import type { ScimResource } from '../shared/scim/types';
import type { SandboxResourceType } from './schemas';
import type { StoredRecord } from './store-indexes';

/** Options for writes: the client's If-Match value, when ETags are in use (RFC 7644 §3.14). */
export type WriteOptions = { ifMatch?: string | undefined };

/** Direct access to the sandbox's data, for the HTTP handler and for tests. */
export type SandboxStore = {
  count(type: SandboxResourceType): number;
  userCount(): number;
  groupCount(): number;
  /** The served representation (without `meta.location`), or undefined. */
  get(type: SandboxResourceType, id: string): ScimResource | undefined;
  getUserByUserName(userName: string): ScimResource | undefined;
  getUsersByExternalId(externalId: string): ScimResource[];
  getGroupByDisplayName(displayName: string): ScimResource | undefined;
  /** Every resource of a type in creation order (copies). */
  list(type: SandboxResourceType): ScimResource[];
  create(type: SandboxResourceType, body: unknown): ScimResource;
  replace(
    type: SandboxResourceType,
    id: string,
    body: unknown,
    options?: WriteOptions,
  ): ScimResource;
  patch(type: SandboxResourceType, id: string, body: unknown, options?: WriteOptions): ScimResource;
  remove(type: SandboxResourceType, id: string, options?: WriteOptions): void;
  /** Removes everything. */
  clear(): void;
  /** Called after every change (persistence hooks in here). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Internal record, for rendering and paging. */
  record(type: SandboxResourceType, id: string): StoredRecord | undefined;
  /** Records matching a filter, in creation order. The unfiltered array is the live one: do not mutate. */
  query(type: SandboxResourceType, filter?: Filter): readonly StoredRecord[];
  /** Inserts already-valid data without normalising (seed, load). Uniqueness is still enforced. */
  insertTrusted(
    record: Omit<StoredRecord, 'seq' | 'rev'> & { seq?: number; rev?: number },
  ): StoredRecord;
  /** All records of both types, for persistence. */
  records(): Iterable<StoredRecord>;
  /** Current store-wide revision (increases on every write). */
  revision(): number;
  /** Groups (id, displayName) that list `memberId` directly. */
  groupsOf(memberId: string): { id: string; displayName: string }[];
};

/** The weak ETag of a revision. */
export function versionOf(rev: number): string {
  return `W/"${rev}"`;
}

/** Strong/weak-insensitive comparison (RFC 7232 §2.3.2 weak comparison), `*` matches anything. */
export function matchesIfMatch(header: string, rev: number): boolean {
  const current = `"${rev}"`;
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t.replace(/^W\//, '') === current);
}
