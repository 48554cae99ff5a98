import { useEffect, useRef, useState } from 'react';
import { RUN_LOG_OUTCOMES, type RunLogEntry } from '../../../../shared/ipc/schemas/run-log';
import { formatNumber } from '../../../../shared/plan/plan-words';
import { ErrorNotice } from '../../components/error-notice';
import { entryAt, useRunLogStore } from './run-log-store';
import { answerText, RunLogTable } from './run-log-table';

const OUTCOME_WORDS = { ok: 'Done', failed: 'Failed', unknown: 'Unknown' } as const;

function EntryDetail({ e }: { e: RunLogEntry | undefined }) {
  if (!e) {
    return (
      <aside className="row-detail run-log-detail" aria-label="Operation">
        <p className="muted">
          Select an operation to see what was sent and the server&apos;s answer.
        </p>
      </aside>
    );
  }
  const facts: [string, string | undefined][] = [
    ['Operation', e.op],
    ['Kind', e.kind],
    ['Person or group', e.key],
    ['Outcome', OUTCOME_WORDS[e.outcome]],
    ['Attempts', String(e.attempts)],
    ['Sent', e.sentAt],
    ['Answered', e.answeredAt ?? 'no answer recorded'],
    ['HTTP status', e.httpStatus !== undefined ? String(e.httpStatus) : undefined],
    ['SCIM error type', e.scimType],
    ['Message', e.message],
    ['Server detail', e.detail],
    ['SCIM id', e.id],
    ['Not in the answer', e.dropped?.join(', ')],
    ['Members already in place', e.unchanged !== undefined ? String(e.unchanged) : undefined],
  ];
  return (
    <aside className="row-detail run-log-detail" aria-label="Operation">
      <h3>{e.key}</h3>
      <p className={e.outcome === 'ok' ? '' : 'danger-text'}>{answerText(e)}</p>
      <dl className="facts">
        {facts
          .filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '')
          .map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </aside>
  );
}

function Filters() {
  const { query, setQuery, kinds, outcomes } = useRunLogStore();
  const [text, setText] = useState(query.text);
  // A search set from outside (the log opened on one operation) shows in the box.
  const [seen, setSeen] = useState(query.text);
  if (seen !== query.text) {
    setSeen(query.text);
    setText(query.text);
  }
  // Search as the admin types, once they pause (one request, not one per key).
  useEffect(() => {
    if (text === useRunLogStore.getState().query.text) return;
    const t = setTimeout(() => {
      setQuery({ text });
    }, 250);
    return () => {
      clearTimeout(t);
    };
  }, [text, setQuery]);
  return (
    <div className="run-log-filters">
      <label>
        Search a person, group, id or message
        <input
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
          }}
        />
      </label>
      <label>
        Kind
        <select
          value={query.kind ?? ''}
          onChange={(e) => {
            setQuery({ kind: e.target.value || undefined });
          }}
        >
          <option value="">Every kind</option>
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.kind} ({formatNumber(k.count)})
            </option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select
          value={query.outcome ?? ''}
          onChange={(e) => {
            const v = RUN_LOG_OUTCOMES.find((o) => o === e.target.value);
            setQuery({ outcome: v });
          }}
        >
          <option value="">Every outcome</option>
          {RUN_LOG_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_WORDS[o]}
              {outcomes ? ` (${formatNumber(outcomes[o])})` : ''}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/**
 * A run's log: every operation with the server's answer, searchable and filtered, virtualised.
 * With `focusOp` it opens searched to that operation, its detail shown.
 */
export function RunLog({
  runId,
  focusOp,
  onClose,
}: {
  runId: string;
  focusOp?: string;
  onClose: () => void;
}) {
  const { open, close, total, all, pages, selected, error, select } = useRunLogStore();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    open(runId, focusOp);
    heading.current?.focus();
    return close;
  }, [runId, focusOp, open, close]);
  const first = pages[0]?.[0];
  useEffect(() => {
    if (focusOp !== undefined && selected === undefined && first?.op === focusOp) select(0);
  }, [focusOp, first, selected, select]);
  return (
    <section className="plan-step run-log" aria-labelledby="run-log-title">
      <div className="run-log-head">
        <h2 id="run-log-title" ref={heading} tabIndex={-1}>
          Run log <code className="runs-id">{runId}</code>
        </h2>
        <button type="button" className="button ghost" onClick={onClose}>
          Close the run log
        </button>
      </div>
      <Filters />
      <p role="status" className="muted run-log-count">
        {total === undefined
          ? 'Reading the run’s journal…'
          : total === all
            ? `${formatNumber(total)} operations`
            : `${formatNumber(total)} of ${formatNumber(all ?? 0)} operations match`}
      </p>
      {error && <ErrorNotice error={error} title="Could not read the run log" />}
      <div className="plan-rows-area run-log-layout">
        <RunLogTable />
        <EntryDetail e={selected !== undefined ? entryAt(pages, selected) : undefined} />
      </div>
    </section>
  );
}
