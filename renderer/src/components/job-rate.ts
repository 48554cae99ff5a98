/** The rate and time-left line of a background job ("1,200 a second · about 2 min 5 s left"). */
import type { JobProgress } from '../../../shared/ipc/schemas/jobs';
import { formatDuration } from '../features/plan/plan-text';

/** `undefined` until the engine knows a rate (after about a second of work). */
export function rateLine(
  progress: Pick<JobProgress, 'opsPerSecond' | 'etaSeconds' | 'done' | 'total'> | undefined,
  unit = 'a second',
): string | undefined {
  if (progress?.opsPerSecond === undefined) return undefined;
  const rate = progress.opsPerSecond;
  const shown = rate >= 10 ? Math.round(rate).toLocaleString() : rate.toFixed(1);
  const left = progress.total !== undefined ? progress.total - progress.done : undefined;
  const eta =
    left !== undefined && left > 0
      ? progress.etaSeconds !== undefined
        ? ` · about ${formatDuration(progress.etaSeconds)} left`
        : ' · time left unknown (no progress right now)'
      : '';
  return `${shown} ${unit}${eta}`;
}
