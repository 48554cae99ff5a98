/**
 * The per-row stages of planning around the pure decision (decide-row.ts):
 *
 *   CSV row ─► prepare (map; row guards, row-guards.ts; within-file duplicate keys; note the
 *              manager key)                                                         in file order
 *           ─► match (key precedence against the snapshot index; listed sweeps re-read the
 *              account by id) ─► decideRow                                          concurrently
 *           ─► settle (managers left for the run are recorded)                      in plan order
 */
import type { CsvRow, InputProblem, PlanRow } from '../../shared/import/types';
import { AppError, isAppError } from '../../shared/errors/errors';
import { parseColumnHeader } from '../../shared/columns/columns';
import { isUnlistedMode } from '../../shared/plan/plan-format';
import { createKeyTracker, normaliseForMatch } from './within-file-keys';
import type { ScimResource } from '../../shared/scim/types';
import { decideRow, type DecideContext, type PreparedRow, type RowMatch } from './decide-row';
import type { ManagerRefs } from './manager-refs';
import { caseExactOf, matchRow } from './match-keys';
import type { PlanInput } from './plan-input';
import type { PlanKeys } from './plan-keys';
import type { RowGuards } from './row-guards';
import type { SnapshotIndex } from './snapshot-index';

export type RowStages = {
  prepare(csvRow: CsvRow, seq: number): PreparedRow;
  plan(p: PreparedRow): Promise<PlanRow>;
  settle(row: PlanRow): void;
  /** 1 for each snapshot ordinal a row matched (the unlisted sweep skips them). */
  matched: Uint8Array;
};

type RowStageDeps = {
  input: PlanInput;
  keys: PlanKeys;
  index: SnapshotIndex;
  ctx: DecideContext;
  managers: ManagerRefs;
  /** Checks each mapped row before it is matched (row-guards.ts). */
  guards: RowGuards;
  /** Re-reads an account by id; undefined when it is gone. */
  verify(resource: ScimResource): Promise<ScimResource | undefined>;
};

/** The stages of one plan (see the file comment). */
export function createRowStages(deps: RowStageDeps): RowStages {
  const { input, keys, index, ctx, managers } = deps;
  const { compiled, schemas } = input;
  const file = ctx.file;
  const matched = new Uint8Array(index.count);
  const tracker = createKeyTracker(
    compiled.matchKeys.map((k) => [...k]),
    (path) => caseExactOf(parseColumnHeader(path, { schemas }), schemas),
  );
  const keyTargets = compiled.matchKeys.map((key) =>
    key.map((path) =>
      compiled.targets.findIndex((t) => t.header.toLowerCase() === path.toLowerCase()),
    ),
  );
  const listedSweep = input.mode !== 'upsert' && !isUnlistedMode(input.mode);

  function duplicateProblem(row: CsvRow, earlier: readonly number[]): InputProblem {
    return {
      file,
      line: row.line,
      row: row.row,
      code: 'duplicate_key',
      severity: 'error',
      message: `${file}, row ${row.row}: the same match key as row ${earlier.join(', ')}; the row is skipped so one account is not changed twice.`,
      nextStep: 'Remove the duplicate row or correct its key, then plan again.',
    };
  }

  function prepare(csvRow: CsvRow, seq: number): PreparedRow {
    const mapped = deps.guards.check(csvRow, compiled.mapRow(csvRow));
    const problems = [...mapped.problems];
    const values = new Map<string, string>();
    compiled.matchKeys.forEach((key, k) => {
      key.forEach((path, part) => {
        const v = mapped.cells[keyTargets[k]?.[part] ?? -1];
        if (typeof v === 'string' && v.trim() !== '') values.set(path, v);
      });
    });
    const earlier = tracker.track(mapped.row, values);
    if (earlier.length) problems.push(duplicateProblem(csvRow, earlier));
    const own = keys.manager ? mapped.cells[keys.manager.ownTarget] : undefined;
    if (typeof own === 'string' && own.trim() !== '') {
      managers.noteRow(mapped.row, own, mapped.manager?.value);
    }
    return { seq, mapped, cells: mapped.cells, problems };
  }

  async function match(p: PreparedRow): Promise<RowMatch> {
    const m = matchRow(p.cells, keys.matchKeys, index, normaliseForMatch);
    if (m.kind === 'none') return m;
    if (m.kind === 'many') {
      for (const o of m.ordinals) matched[o] = 1;
      const candidates = m.ordinals.map((o) => index.read(o).id ?? `#${o}`);
      return { kind: 'many', key: m.key, value: m.value, reason: m.reason, candidates };
    }
    matched[m.ordinal] = 1;
    const server = index.read(m.ordinal);
    const found = { kind: 'one' as const, key: m.key, value: m.value, reason: m.reason, server };
    const checkable = !p.problems.some((x) => x.severity === 'error');
    if (!listedSweep || !checkable || ctx.protects(server) !== undefined) return found;
    try {
      return { ...found, fresh: (await deps.verify(server)) ?? null };
    } catch (e) {
      // A re-read answering another account stops this row, not the plan (read-verify.ts).
      if (isAppError(e) && e.code === 'read_mismatch') return { ...found, mismatch: e.message };
      throw e;
    }
  }

  return {
    matched,
    prepare,
    plan: async (p) => decideRow(p, await match(p), ctx),
    settle(row) {
      if (!row.managerRef) return;
      if (row.row === undefined || row.line === undefined) {
        throw new AppError('internal', `Plan row ${row.seq} defers a manager without a CSV row.`);
      }
      managers.defer(row.row, row.line, row.managerRef.value);
    },
  };
}
