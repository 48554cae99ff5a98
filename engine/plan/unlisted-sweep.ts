/**
 * After the CSV pass: every snapshot account no row matched goes to the orphan report, and in the
 * `*-unlisted` modes each one in scope is either spared by the protect list (a `protected` row) or
 * re-read by id (it must still exist, still be in scope and still not be protected) before it
 * becomes a deactivate or delete row.
 */
import type { PlanRow } from '../../shared/import/types';
import { isUnlistedMode, type PlanMode } from '../../shared/plan/plan-format';
import { writeProblems } from '../resources/write-rules';
import type { ScimResource, ScimSchema } from '../../shared/scim/types';
import { mapOrdered } from '../streams/ordered-map';
import type { OrphanReport } from './orphan-report';
import { deactivation, displayOf } from './row-plan';
import type { SnapshotIndex } from './snapshot-index';
import type { ProtectedList, ScopeTest } from './sweep-scope';

type SweepInput = {
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
  /** The server's schemas (a deactivation must be allowed to write `active`). */
  schemas: readonly ScimSchema[];
  /** Where row problems point (the plan's CSV). */
  file: string;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
};

type Candidate = { resource: ScimResource; guard?: string };

const REASON = 'Not in the CSV, within the scope.';

function protectedRow(c: Candidate, file: string): PlanRow {
  const who = displayOf(c.resource);
  return {
    seq: 0,
    action: 'protected',
    display: who,
    match: { reason: `${REASON} Spared by the protect list ("${c.guard ?? ''}").` },
    ...(c.resource.id ? { id: c.resource.id } : {}),
    problems: [
      {
        file,
        line: 0,
        code: 'protected',
        severity: 'warning',
        message: `${who} is on the protect list ("${c.guard ?? ''}"); it is left as it is.`,
        nextStep: 'Remove it from the protect list to sweep it.',
      },
    ],
  };
}

/** The deactivate or delete row of an account the sweep still finds in scope (undefined: none). */
async function sweptRow(input: SweepInput, fresh: ScimResource): Promise<PlanRow | undefined> {
  const base = {
    seq: 0,
    display: displayOf(fresh),
    match: { reason: REASON },
    ...(fresh.id ? { id: fresh.id } : {}),
    ...(fresh.meta?.version ? { version: fresh.meta.version } : {}),
  };
  if (input.mode === 'delete-unlisted') {
    await input.orphans.add(fresh, 'planned-delete');
    return { ...base, action: 'delete' };
  }
  const d = deactivation(fresh, input.patch);
  await input.orphans.add(fresh, d ? 'planned-deactivate' : 'already-inactive');
  if (!d) return undefined;
  const refused = writeProblems(d.changes, {
    schemas: input.schemas,
    file: input.file,
    line: 0,
    display: base.display,
  });
  return refused.length
    ? { ...base, action: 'invalid', problems: refused }
    : { ...base, action: 'deactivate', ...d };
}

/** The protected, deactivate and delete rows of an unlisted sweep (seq 0: the caller numbers them). */
export async function* sweepUnlisted(
  input: SweepInput,
  counts: { inScope: number },
): AsyncGenerator<PlanRow> {
  const { index, matched, scope, protectedList, orphans } = input;
  const sweeping = isUnlistedMode(input.mode);

  async function* candidates(): AsyncGenerator<Candidate> {
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
        if (sweeping && within && guard !== undefined) yield { resource: r, guard };
        continue;
      }
      yield { resource: r };
      if (ordinal % 10_000 === 0) input.onProgress?.(ordinal, index.count);
    }
  }

  const planned = mapOrdered(candidates(), input.concurrency, async (c) => ({
    c,
    fresh: c.guard === undefined ? await input.verify(c.resource) : c.resource,
  }));
  for await (const { c, fresh } of planned) {
    if (c.guard !== undefined) {
      yield protectedRow(c, input.file);
      continue;
    }
    if (!fresh || !scope(fresh) || protectedList.protects(fresh) !== undefined) {
      await orphans.add(fresh ?? c.resource, fresh ? 'out-of-scope' : 'gone');
      continue;
    }
    const row = await sweptRow(input, fresh);
    if (row) yield row;
  }
}
