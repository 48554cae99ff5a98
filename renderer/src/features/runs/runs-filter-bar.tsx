import { RUN_STATUSES, isFiltered } from './run-filters';
import { useRunsStore } from './runs-store';

/** Narrows the Runs list by target, start date and status (the runs store keeps the choice). */
export function RunsFilterBar({ shown, total }: { shown: number; total: number }) {
  const filters = useRunsStore((s) => s.filters);
  const setFilters = useRunsStore((s) => s.setFilters);
  const clearFilters = useRunsStore((s) => s.clearFilters);
  return (
    <div className="runs-filters" role="group" aria-label="Filter the runs">
      <label>
        Target
        <input
          type="search"
          placeholder="Connection name or URL"
          value={filters.target}
          onChange={(e) => {
            setFilters({ target: e.target.value });
          }}
        />
      </label>
      <label>
        Started from
        <input
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => {
            setFilters({ from: e.target.value });
          }}
        />
      </label>
      <label>
        Started to
        <input
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => {
            setFilters({ to: e.target.value });
          }}
        />
      </label>
      <label>
        Status
        <select
          value={filters.status}
          onChange={(e) => {
            const status = RUN_STATUSES.find((s) => s === e.target.value);
            setFilters({ status: status ?? '' });
          }}
        >
          <option value="">Every status</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <p className="hint" role="status" data-testid="runs-shown">
        {isFiltered(filters)
          ? `Showing ${String(shown)} of ${String(total)} runs.`
          : `${String(total)} runs.`}
      </p>
      {isFiltered(filters) && (
        <button type="button" className="button ghost small" onClick={clearFilters}>
          Clear filters
        </button>
      )}
    </div>
  );
}
