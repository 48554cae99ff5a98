import { useCallback, useState } from 'react';
import type { PlanRow } from '../../../../shared/import/types';
import { accessChangeText, KIND_LABELS } from '../../../../shared/plan/plan-words';
import { VirtualGrid } from '../../components/virtual-grid';
import { rowAt, usePlanStore, usePlanView } from './plan-store';

/** One line of what the row changes, for the table. */
function changeSummary(row: PlanRow): string {
  const parts: string[] = [];
  if (row.action === 'create') parts.push('new account');
  const access = accessChangeText(row);
  if (access) parts.push(access);
  const changes = row.changes ?? [];
  if (changes.length) {
    const names = changes.slice(0, 3).map((c) => c.path);
    parts.push(`${names.join(', ')}${changes.length > 3 ? ` +${changes.length - 3} more` : ''}`);
  }
  const add = row.groups?.add.length ?? 0;
  const remove = row.groups?.remove.length ?? 0;
  if (add) parts.push(`+${add} group${add === 1 ? '' : 's'}`);
  if (remove) parts.push(`−${remove} group${remove === 1 ? '' : 's'}`);
  const problem = row.problems?.find((p) => p.severity === 'error') ?? row.problems?.[0];
  if ((row.action === 'conflict' || row.action === 'invalid') && problem) {
    parts.push(problem.message);
  } else if (row.action === 'conflict' && row.match) {
    parts.push(row.match.reason);
  }
  return parts.join(' · ') || '—';
}

/** `urn:…:User:employeeNumber` → `employeeNumber`: the table is narrow, the detail has it all. */
function shortKey(key: string): string {
  return key.startsWith('urn:') ? key.slice(key.lastIndexOf(':') + 1) : key;
}

function matchText(row: PlanRow): string {
  if (row.match?.key) return `${shortKey(row.match.key)} = ${row.match.value ?? ''}`;
  return '—';
}

function PlanCells({ row }: { row: PlanRow }) {
  return (
    <>
      <span role="gridcell" className="col-seq">
        {row.seq + 1}
      </span>
      <span role="gridcell" className="col-action">
        <span className={`action-badge action-${row.action}`}>{KIND_LABELS[row.action]}</span>
      </span>
      <span role="gridcell" className="col-display" title={row.display}>
        {row.display}
      </span>
      <span role="gridcell" className="col-csv">
        {row.row ?? '—'}
      </span>
      <span
        role="gridcell"
        className="col-match"
        title={row.match?.key ? `${row.match.key} = ${row.match.value ?? ''}` : undefined}
      >
        {matchText(row)}
      </span>
      <span role="gridcell" className="col-changes" title={changeSummary(row)}>
        {changeSummary(row)}
      </span>
    </>
  );
}

const HEADER = (
  <>
    <span role="columnheader" className="col-seq">
      #
    </span>
    <span role="columnheader" className="col-action">
      Action
    </span>
    <span role="columnheader" className="col-display">
      Display
    </span>
    <span role="columnheader" className="col-csv">
      CSV row
    </span>
    <span role="columnheader" className="col-match">
      Matched key
    </span>
    <span role="columnheader" className="col-changes">
      Changes
    </span>
  </>
);

/** The virtualised grid of plan rows: only the visible rows (plus overscan) are in the DOM. */
export function PlanTable({ planId }: { planId: string }) {
  const view = usePlanView(planId);
  const ensureRows = usePlanStore((s) => s.ensureRows);
  const select = usePlanStore((s) => s.select);
  const [active, setActive] = useState(0);
  const onRange = useCallback(
    (first: number, last: number) => {
      ensureRows(planId, first, last);
    },
    [planId, ensureRows],
  );
  const pick = (i: number): void => {
    setActive(i);
    const row = rowAt(view, i);
    select(planId, row ? { seq: row.seq, index: i } : { index: i });
  };
  return (
    <VirtualGrid
      label="Plan rows"
      count={view.total ?? 0}
      busy={view.total === undefined}
      resetKey={view.queryKey}
      columns={6}
      header={HEADER}
      cells={(i) => {
        const row = rowAt(view, i);
        return row ? <PlanCells row={row} /> : undefined;
      }}
      rowId={(i) => `plan-${planId}-row-${i}`}
      active={active}
      selected={view.selected?.index}
      markActive
      pickOnEnter
      onRange={onRange}
      onMove={pick}
      onRowClick={pick}
      empty={
        <p className="plan-empty" role="status">
          No rows match this filter. Clear the search or choose other kinds.
        </p>
      }
    />
  );
}
