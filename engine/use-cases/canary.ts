import type { CanaryEvidence } from '../../shared/ipc/schemas/canary';
import { readCanaryEvidence, type CanaryEvidenceOptions } from '../apply/canary-evidence';
import type { UseCaseContext } from './context';

/**
 * What a canary changed, read back from the server: the accounts of the run's row operations
 * (the first 50), each with its outcome and the server's state now. The app's `runs:canary` and
 * the CLI after `apply --canary N` both call this.
 */
export function canaryEvidence(
  request: Omit<CanaryEvidenceOptions, 'signal'>,
  ctx: UseCaseContext = {},
): Promise<CanaryEvidence> {
  return readCanaryEvidence({ ...request, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}
