import type { RunLogEntry } from '../../../../shared/ipc/schemas/run-log';
import { VirtualGrid } from '../../components/virtual-grid';
import { entryAt, useRunLogStore } from './run-log-store';

const OUTCOME_LABEL: Record<RunLogEntry['outcome'], string> = {
  ok: 'Done',
  failed: 'Failed',
  unknown: 'Unknown',
};

/** The server's answer in one line: `HTTP 400 · invalidValue · The server refused…`. */
export function answerText(e: RunLogEntry): string {
  const parts = [
    e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : undefined,
    e.scimType,
    e.message,
    e.outcome === 'ok' && e.id ? `id ${e.id}` : undefined,
    e.outcome === 'unknown' && !e.answeredAt ? 'no answer recorded' : undefined,
  ];
  return parts.filter(Boolean).join(' · ') || '—';
}

function LogRow({ e }: { e: RunLogEntry }) {
  return (
    <>
      <span role="gridcell" className="col-seq">
        {e.index + 1}
      </span>
      <span role="gridcell" className="col-kind">
        {e.kind}
      </span>
      <span role="gridcell" className="col-display" title={e.key}>
        {e.key}
      </span>
      <span role="gridcell" className="col-outcome">
        <span className={`outcome-badge outcome-${e.outcome}`}>{OUTCOME_LABEL[e.outcome]}</span>
      </span>
      <span role="gridcell" className="col-answer" title={answerText(e)}>
        {answerText(e)}
      </span>
    </>
  );
}

const HEADER = (
  <>
    <span role="columnheader" className="col-seq">
      #
    </span>
    <span role="columnheader" className="col-kind">
      Kind
    </span>
    <span role="columnheader" className="col-display">
      Person or group
    </span>
    <span role="columnheader" className="col-outcome">
      Outcome
    </span>
    <span role="columnheader" className="col-answer">
      Server&apos;s answer
    </span>
  </>
);

/** The virtualised grid of a run's operations (the plan table's grid). */
export function RunLogTable() {
  const { total, pages, ensure, select, selected, queryKey } = useRunLogStore();
  return (
    <VirtualGrid
      label="Run operations"
      className="run-log-table"
      rowClassName="run-log-row"
      count={total ?? 0}
      busy={total === undefined}
      resetKey={queryKey}
      columns={5}
      header={HEADER}
      cells={(i) => {
        const e = entryAt(pages, i);
        return e ? <LogRow e={e} /> : undefined;
      }}
      rowId={(i) => `run-log-row-${i}`}
      active={selected ?? 0}
      selected={selected}
      onRange={ensure}
      onMove={select}
      onRowClick={select}
      empty={
        <p className="plan-empty" role="status">
          No operations match. Clear the search or choose another kind or outcome.
        </p>
      }
    />
  );
}
