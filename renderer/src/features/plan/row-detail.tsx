import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { PlanRow } from '../../../../shared/import/types';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';
import { KIND_LABELS, rowAccessSentence } from '../../../../shared/plan/plan-words';
import { rowAt, usePlanStore } from './plan-store';

function Value({ value }: { value: string | null }) {
  return value === null ? <em className="muted">(no value)</em> : <code>{value}</code>;
}

/** The selected row in full: diff, match, groups, the resource to create, problems. */
export function RowDetail({ planId }: { planId: string }) {
  // Narrow subscriptions: windows arriving while scrolling must not re-render the detail.
  const selected = usePlanStore((s) => s.plans[planId]?.selected);
  const cached = usePlanStore((s) => {
    const view = s.plans[planId];
    return view?.selected ? rowAt(view, view.selected.index) : undefined;
  });
  const [fetched, setFetched] = useState<{ row?: PlanRow; error?: ErrorPayload; seq: number }>();

  // Rows come from the cached window; one that was dropped from the cache is asked for alone.
  const seq = selected?.seq;
  const needsFetch = cached === undefined && seq !== undefined;
  useEffect(() => {
    if (!needsFetch || seq === undefined) return;
    let live = true;
    void client.invoke('plan:row', { planId, seq }).then((r) => {
      if (!live) return;
      setFetched(r.ok ? { row: r.value, seq } : { error: r.error, seq });
    });
    return () => {
      live = false;
    };
  }, [needsFetch, planId, seq]);

  if (!selected) {
    return (
      <aside className="row-detail" aria-label="Row detail">
        <p className="muted">Select a row (click, or arrow keys in the table) to see its detail.</p>
      </aside>
    );
  }
  const row = cached ?? (fetched && fetched.seq === selected.seq ? fetched.row : undefined);
  if (!cached && fetched?.error && fetched.seq === selected.seq) {
    return (
      <aside className="row-detail" aria-label="Row detail">
        <ErrorNotice error={fetched.error} title="Could not read the row" />
      </aside>
    );
  }
  if (!row) {
    return (
      <aside className="row-detail" aria-label="Row detail">
        <p className="muted">Loading the row…</p>
      </aside>
    );
  }

  const changes = row.changes ?? [];
  const add = row.groups?.add ?? [];
  const remove = row.groups?.remove ?? [];
  return (
    <aside className="row-detail" aria-label="Row detail">
      <h3>
        Row {row.seq + 1}: {row.display || '(no name)'}{' '}
        <span className={`action-badge action-${row.action}`}>{KIND_LABELS[row.action]}</span>
      </h3>
      {rowAccessSentence(row) && <p className="row-access">{rowAccessSentence(row)}</p>}
      <dl className="facts">
        <dt>CSV row</dt>
        <dd>
          {row.row !== undefined
            ? `Row ${row.row}${row.line !== undefined ? ` (line ${row.line})` : ''}`
            : 'Not in the file (a server account)'}
        </dd>
        <dt>Match</dt>
        <dd>
          {row.match?.key ? (
            <>
              <code>
                {row.match.key} = {row.match.value ?? ''}
              </code>{' '}
              — {row.match.reason}
            </>
          ) : (
            (row.match?.reason ?? 'No match key')
          )}
        </dd>
        {row.id && (
          <>
            <dt>Server id</dt>
            <dd>
              <code>{row.id}</code>
            </dd>
          </>
        )}
      </dl>

      {changes.length > 0 && (
        <table className="diff-table">
          <caption>Attribute changes (old → new)</caption>
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Old</th>
              <th scope="col" aria-hidden="true" />
              <th scope="col">New</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path}>
                <th scope="row">
                  <code>{c.path}</code>
                </th>
                <td className="diff-old">
                  <Value value={c.old} />
                </td>
                <td aria-hidden="true">→</td>
                <td className="diff-new">
                  <Value value={c.new} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {(add.length > 0 || remove.length > 0) && (
        <div className="detail-groups">
          <h4>Groups</h4>
          <ul>
            {add.map((g) => (
              <li key={`+${g.display}`}>
                <span className="diff-new">+ {g.display}</span>
                {g.id === undefined && <span className="muted"> (group will be created)</span>}
              </li>
            ))}
            {remove.map((g) => (
              <li key={`-${g.display}`}>
                <span className="diff-old">− {g.display}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {row.candidates && row.candidates.length > 0 && (
        <div>
          <h4>Candidate accounts</h4>
          <ul>
            {row.candidates.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}

      {row.problems && row.problems.length > 0 && (
        <div>
          <h4>Problems</h4>
          <ul className="problem-list">
            {row.problems.map((p, i) => (
              <li key={i} className={p.severity === 'error' ? 'danger-text' : ''}>
                <strong>{p.severity === 'error' ? 'Error' : 'Warning'}:</strong> {p.message}{' '}
                <span className="muted">{p.nextStep}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {row.create && (
        <div>
          <h4>SCIM resource to create</h4>
          <pre className="json" tabIndex={0} aria-label="SCIM resource to create">
            {JSON.stringify(row.create, null, 2)}
          </pre>
        </div>
      )}
      {row.replace && (
        <details>
          <summary>Full resource sent with PUT</summary>
          <pre className="json" tabIndex={0}>
            {JSON.stringify(row.replace, null, 2)}
          </pre>
        </details>
      )}
      {row.operations && row.operations.length > 0 && (
        <details>
          <summary>PATCH operations</summary>
          <pre className="json" tabIndex={0}>
            {JSON.stringify(row.operations, null, 2)}
          </pre>
        </details>
      )}
    </aside>
  );
}
