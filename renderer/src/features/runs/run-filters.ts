import type { RunView } from '../../../../shared/ipc/schemas/jobs';

/** Every status a run can have, in the order the filter lists them. */
export const RUN_STATUSES: readonly RunView['status'][] = [
  'running',
  'paused',
  'interrupted',
  'completed',
  'completed with failures',
  'failed',
  'cancelled',
];

/**
 * What the Runs list is narrowed to. `target` matches the connection name or the server URL
 * (case-insensitive, part of it is enough); `from` and `to` are calendar days (`YYYY-MM-DD`, as a
 * date field gives them) in local time, both included; empty means no limit.
 */
export type RunFilters = {
  target: string;
  from: string;
  to: string;
  status: RunView['status'] | '';
};

export const NO_FILTERS: RunFilters = { target: '', from: '', to: '', status: '' };

/** The run's start as a local calendar day (`YYYY-MM-DD`), or undefined when it is no date. */
export function localDay(iso: string): string | undefined {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function matches(run: RunView, f: RunFilters): boolean {
  if (f.status !== '' && run.status !== f.status) return false;
  const needle = f.target.trim().toLowerCase();
  if (needle !== '') {
    const hay = [run.target.connection, run.target.baseUrl].map((s) => (s ?? '').toLowerCase());
    if (!hay.some((s) => s.includes(needle))) return false;
  }
  if (f.from !== '' || f.to !== '') {
    const day = localDay(run.startedAt);
    if (day === undefined) return false;
    if (f.from !== '' && day < f.from) return false;
    if (f.to !== '' && day > f.to) return false;
  }
  return true;
}

/** The runs that pass every filter, in their order. */
export function filterRuns(runs: readonly RunView[], filters: RunFilters): RunView[] {
  return runs.filter((r) => matches(r, filters));
}

/** True when some filter is set. */
export function isFiltered(f: RunFilters): boolean {
  return f.target.trim() !== '' || f.from !== '' || f.to !== '' || f.status !== '';
}
