/** Small text helpers of the plan screens (the plan's own sentences are shared/plan/plan-words.ts). */
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';

/** `42 s`, `3 min 5 s`, `2 h 10 min`; `—` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Where the plan goes: `Prod (https://…)`, or an offline snapshot. */
export function targetText(info: PlanInfo): string {
  const { connection, baseUrl } = info.target;
  if (connection && baseUrl) return `${connection} (${baseUrl})`;
  return connection ?? baseUrl ?? 'an offline snapshot';
}
