import { PLAN_ACTIONS } from '../../../../shared/import/types';
import { formatNumber, KIND_LABELS } from '../../../../shared/plan/plan-words';

export type Counts = Record<
  string,
  { done: number; failed: number; pending?: number; unknown?: number; total?: number }
>;

/** Rows per kind: done, failed, pending (a run) or done, failed, total (progress). */
export function CountsTable({ counts, caption }: { counts: Counts; caption: string }) {
  const kinds = PLAN_ACTIONS.filter((a) => counts[a] !== undefined).map((a) => a as string);
  const extra = Object.keys(counts).filter((k) => !kinds.includes(k));
  const rows = [...kinds, ...extra];
  if (rows.length === 0) return null;
  const hasPending = rows.some((k) => counts[k]?.pending !== undefined);
  const hasTotal = rows.some((k) => counts[k]?.total !== undefined);
  return (
    <table className="run-counts">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Done</th>
          <th scope="col">Failed</th>
          {hasPending && <th scope="col">Not done</th>}
          {hasPending && <th scope="col">Unknown</th>}
          {hasTotal && <th scope="col">Planned</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((k) => {
          const c = counts[k];
          if (!c) return null;
          return (
            <tr key={k}>
              <th scope="row">
                {k in KIND_LABELS ? KIND_LABELS[k as keyof typeof KIND_LABELS] : k}
              </th>
              <td>{formatNumber(c.done)}</td>
              <td className={c.failed > 0 ? 'danger-text' : ''}>{formatNumber(c.failed)}</td>
              {hasPending && <td>{formatNumber(c.pending ?? 0)}</td>}
              {hasPending && <td>{formatNumber(c.unknown ?? 0)}</td>}
              {hasTotal && <td>{formatNumber(c.total ?? 0)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
