import { formatNumber } from '../../../../shared/plan/plan-words';
import type { PassRow } from './run-view-model';

/** Live counts per pass: done / failed / unknown of planned. */
export function PassesTable({ rows, caption }: { rows: readonly PassRow[]; caption: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="run-counts run-passes">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Pass</th>
          <th scope="col">Done</th>
          <th scope="col">Failed</th>
          <th scope="col">Unknown</th>
          <th scope="col">Planned</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.pass} data-pass={r.pass}>
            <th scope="row">{r.label}</th>
            <td>{formatNumber(r.done)}</td>
            <td className={r.failed > 0 ? 'danger-text' : ''}>{formatNumber(r.failed)}</td>
            <td className={r.unknown > 0 ? 'warning-text' : ''}>{formatNumber(r.unknown)}</td>
            <td>{formatNumber(r.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
