/**
 * After the CSV pass: every snapshot account no row matched goes to the orphan report, and in the
 * `*-unlisted` modes each one in scope and not protected is re-read by id (it must still exist
 * and still be in scope) before it becomes a deactivate or delete row.
 */
import type { PlanRow } from '../../../shared/import/types';
import type { ScimResource } from '../../../shared/scim/types';
import { mapOrdered } from '../export/ordered-map';
import type { OrphanReport } from './orphan-report';
import type { PlanMode } from './plan-file';
import { deactivation, displayOf } from './row-plan';
import type { SnapshotIndex } from './snapshot-index';
import type { ProtectedList, ScopeTest } from './sweep-scope';

export type SweepInput = {
  mode: PlanMode;
  index: SnapshotIndex;
  /** 1 for each snapshot ordinal a CSV row matched. */
  matched: Uint8Array;
  scope: ScopeTest;
  /** False when there is no scope filter (every account is in scope; nothing to evaluate). */
  scoped: boolean;
  protectedList: ProtectedList;
  orphans: OrphanReport;
  /** Re-reads an account by id; undefined when it is gone. */
  verify(resource: ScimResource): Promise<ScimResource | undefined>;
  patch: boolean;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
};

/** The deactivate/delete rows of an unlisted sweep (seq 0: the caller numbers them). */
export async function* sweepUnlisted(
  input: SweepInput,
  counts: { inScope: number },
): AsyncGenerator<PlanRow> {
  const { index, matched, scope, protectedList, orphans, mode } = input;
  const sweeping = mode === 'deactivate-unlisted' || mode === 'delete-unlisted';

  async function* candidates(): AsyncGenerator<ScimResource> {
    for await (const { ordinal, line } of index.scan()) {
      // Parse only what is needed: accounts not in the CSV, or all when a scope must be counted.
      if (matched[ordinal] && !input.scoped) {
        counts.inScope += 1;
        continue;
      }
      const r = JSON.parse(line) as ScimResource;
      const within = scope(r);
      if (within) counts.inScope += 1;
      if (matched[ordinal]) continue;
      const guard = protectedList.protects(r);
      if (!sweeping || guard !== undefined || !within) {
        await orphans.add(
          r,
          guard !== undefined ? 'protected' : !within ? 'out-of-scope' : 'not-listed',
        );
        continue;
      }
      yield r;
      if (ordinal % 10_000 === 0) input.onProgress?.(ordinal, index.count);
    }
  }

  const planned = mapOrdered(candidates(), input.concurrency, async (r) => ({
    listed: r,
    fresh: await input.verify(r),
  }));
  for await (const { listed, fresh } of planned) {
    if (!fresh || !scope(fresh) || protectedList.protects(fresh) !== undefined) {
      await orphans.add(fresh ?? listed, fresh ? 'out-of-scope' : 'gone');
      continue;
    }
    const base = {
      seq: 0,
      display: displayOf(fresh),
      match: { reason: 'Not in the CSV, within the scope.' },
      ...(fresh.id ? { id: fresh.id } : {}),
      ...(fresh.meta?.version ? { version: fresh.meta.version } : {}),
    };
    if (mode === 'delete-unlisted') {
      await orphans.add(fresh, 'planned-delete');
      yield { ...base, action: 'delete' };
      continue;
    }
    const d = deactivation(fresh, input.patch);
    await orphans.add(fresh, d ? 'planned-deactivate' : 'already-inactive');
    if (d) yield { ...base, action: 'deactivate', ...d };
  }
}
