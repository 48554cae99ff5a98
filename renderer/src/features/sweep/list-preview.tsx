import type { ImportInspection } from '../../../../shared/ipc/schemas/import';
import type { MatchOption } from './sweep-store';

type ListPreviewProps = {
  path: string;
  inspection: ImportInspection;
  options: MatchOption[];
  matchKey: string | undefined;
  onMatchKey: (target: string) => void;
};

const SHOWN_ROWS = 8;

/** The list file: how many rows, the first few, and which column identifies an account. */
export function ListPreview({ path, inspection, options, matchKey, onMatchKey }: ListPreviewProps) {
  const { headers, rows, damagedRows } = inspection.diagnostics;
  const chosen = options.find((o) => o.target === matchKey);
  return (
    <section className="card sweep-list" aria-labelledby="sweep-list-heading">
      <h3 id="sweep-list-heading">The list</h3>
      <p>
        <code>{path}</code>
        <br />
        <span data-testid="sweep-list-rows">
          {rows} {rows === 1 ? 'account' : 'accounts'}
        </span>
        {damagedRows > 0 && (
          <span className="badge badge-warning">{damagedRows} damaged rows skipped</span>
        )}
      </p>
      {options.length > 0 ? (
        <div className="field">
          <label htmlFor="sweep-match">Match accounts on</label>
          <select
            id="sweep-match"
            value={matchKey ?? ''}
            onChange={(e) => {
              onMatchKey(e.target.value);
            }}
          >
            {options.map((o) => (
              <option key={o.target} value={o.target}>
                {o.target}
                {o.column !== undefined ? ` (column “${o.column}”)` : ''}
              </option>
            ))}
          </select>
          <p className="hint" data-testid="sweep-match-summary">
            {chosen
              ? `Each row is matched to the server account whose ${chosen.target} equals the “${chosen.column ?? chosen.target}” cell.`
              : 'Choose how rows are matched to accounts.'}
          </p>
        </div>
      ) : (
        <p className="danger-text">
          No column of this file looks like an account identifier (userName, email, externalId or
          employee number).
        </p>
      )}
      <div className="sweep-sample">
        <table className="table">
          <caption className="hint">
            First {Math.min(SHOWN_ROWS, inspection.sample.length)} rows
          </caption>
          <thead>
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col" className={h === chosen?.column ? 'sweep-key' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {inspection.sample.slice(0, SHOWN_ROWS).map((r) => (
              <tr key={r.row}>
                {headers.map((h, i) => (
                  <td key={h} className={h === chosen?.column ? 'sweep-key' : undefined}>
                    {r.cells[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
