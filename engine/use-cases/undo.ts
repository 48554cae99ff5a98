import { buildUndoPlan, type UndoOptions, type UndoResult } from '../apply/undo';
import type { UseCaseContext } from './context';

type UndoRequest = Omit<UndoOptions, 'signal'>;

/** Writes the plan that reverses a run, to preview and then apply like any plan. */
export async function writeUndoPlan(
  request: UndoRequest,
  ctx: UseCaseContext = {},
): Promise<UndoResult> {
  ctx.progress?.({ phase: 'Reading the run and the server', done: 0 });
  return buildUndoPlan({ ...request, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}
