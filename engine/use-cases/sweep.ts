import { AppError } from '../../shared/errors/errors';
import { isUnlistedMode, type PlanMode } from '../../shared/plan/plan-format';
import { validateFilter } from '../scim/filter-parse';

/**
 * Rules that only sweeps have (deactivating or deleting accounts listed, or not listed, in a
 * file). Sweeps are plan modes, so the plan use case runs them; these checks run first, for the
 * CLI and the app alike, before anything is read or connected.
 */
export function checkSweepScope(mode: PlanMode, scope: string | undefined): void {
  const filter = scope?.trim();
  if (!filter) return;
  if (!isUnlistedMode(mode)) {
    throw new AppError(
      'input',
      'A scope filter applies only to sweeps of accounts not in the file (deactivate-unlisted, delete-unlisted).',
      { nextStep: 'Remove the scope, or choose one of those modes.' },
    );
  }
  validateFilter(filter);
}
