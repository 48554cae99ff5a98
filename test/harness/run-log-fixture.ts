/**
 * A run with a large journal, written directly (running 100k operations through a server is too
 * slow for a test): `n` ops — creates, updates, group chunks — every 50th (from the 49th) failed with a server
 * answer and every 997th left unknown. Used by the run log's unit test and its 100k-op e2e.
 */
import { openJournal, type IntentEntry, type OutcomeEntry } from '../../engine/apply/journal';
import { createRun, releaseRunLock, updateRun, type RunRecord } from '../../engine/apply/run-store';

export type LargeRun = { runId: string; failed: number; unknown: number; ops: number };

export const personOf = (i: number): string => `person-${String(i).padStart(6, '0')}@example.com`;

function opOf(i: number): { intent: IntentEntry; outcome?: OutcomeEntry } {
  const kind = i % 10 === 9 ? 'groups:add' : i % 3 === 0 ? 'update' : 'create';
  const op = kind === 'groups:add' ? `grp:g:team_${i}:add:0` : `s${i}:${kind}`;
  const key = kind === 'groups:add' ? `team-${i}` : personOf(i);
  const intent: IntentEntry = { op, seq: kind === 'groups:add' ? -1 : i, kind, key };
  if (i % 997 === 996) return { intent };
  if (i % 50 === 48) {
    return {
      intent,
      outcome: {
        op,
        status: 'failed',
        httpStatus: 400,
        error: {
          message: 'The server refused the change.',
          scimType: 'invalidValue',
          detail: `bad title ${i}`,
        },
      },
    };
  }
  return {
    intent,
    outcome: { op, status: 'ok', id: `id-${i}`, httpStatus: kind === 'create' ? 201 : 200 },
  };
}

/** Writes a completed run of `n` ops into `dataDir`, its header copied from `template`. */
export async function writeLargeRun(
  dataDir: string,
  template: Pick<RunRecord, 'planFile' | 'plan' | 'target'>,
  n: number,
): Promise<LargeRun> {
  const { run, dir, lock } = await createRun(dataDir, {
    planFile: template.planFile,
    plan: template.plan,
    target: template.target,
  });
  const journal = await openJournal(dir);
  let failed = 0;
  let unknown = 0;
  const BATCH = 5_000;
  for (let start = 0; start < n; start += BATCH) {
    const ops = Array.from({ length: Math.min(BATCH, n - start) }, (_, k) => opOf(start + k));
    await journal.appendIntents(ops.map((o) => o.intent));
    const outcomes = ops.flatMap((o) => (o.outcome ? [o.outcome] : []));
    await journal.appendOutcomes(outcomes);
    failed += outcomes.filter((o) => o.status === 'failed').length;
    unknown += ops.length - outcomes.length;
  }
  await journal.close();
  await updateRun(dataDir, run.id, {
    status: 'completed with failures',
    finishedAt: new Date().toISOString(),
  });
  await releaseRunLock(lock);
  return { runId: run.id, failed, unknown, ops: n };
}
