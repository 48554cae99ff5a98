import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PlanRow } from '../../../../shared/import/types';
import { accessChangeText, KIND_LABELS } from '../../../../shared/plan/plan-words';
import { rowAt, usePlanStore, usePlanView } from './plan-store';

/** Fixed row height in CSS pixels (it scales with zoom like everything else). */
const ROW_HEIGHT = 34;
const OVERSCAN = 8;

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

/** The virtualised grid of plan rows: only the visible rows (plus overscan) are in the DOM. */
export function PlanTable({ planId }: { planId: string }) {
  const view = usePlanView(planId);
  const ensureRows = usePlanStore((s) => s.ensureRows);
  const select = usePlanStore((s) => s.select);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [active, setActive] = useState(0);
  const total = view.total ?? 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      setHeight(el.clientHeight);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
    };
  }, []);

  // A new filter starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [view.queryKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (view.total === undefined || last < first) return;
    ensureRows(planId, first, last);
  }, [planId, first, last, view.total, view.queryKey, ensureRows]);

  const activeIndex = Math.min(active, Math.max(0, total - 1));

  const moveTo = (index: number): void => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    const el = scroller.current;
    if (el) {
      const top = next * ROW_HEIGHT;
      const headerRoom = ROW_HEIGHT; // the sticky header covers the first row's slot
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT + headerRoom > el.scrollTop + el.clientHeight) {
        el.scrollTop = top + ROW_HEIGHT + headerRoom - el.clientHeight;
      }
    }
    const row = rowAt(view, next);
    select(planId, row ? { seq: row.seq, index: next } : { index: next });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: total - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) {
      e.preventDefault();
      moveTo(target);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      moveTo(activeIndex);
    }
  };

  const rows: React.JSX.Element[] = [];
  for (let i = first; i <= last; i++) {
    const row = rowAt(view, i);
    const selected = view.selected?.index === i;
    rows.push(
      <div
        key={i}
        id={`plan-${planId}-row-${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        className={`plan-row${selected ? ' selected' : ''}${i === activeIndex ? ' active' : ''}`}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
        onClick={() => {
          setActive(i);
          select(planId, row ? { seq: row.seq, index: i } : { index: i });
        }}
      >
        {row ? (
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
        ) : (
          <span role="gridcell" className="col-loading">
            Loading…
          </span>
        )}
      </div>,
    );
  }

  return (
    <div className="plan-table-wrap">
      <div
        ref={scroller}
        className="plan-table"
        role="grid"
        aria-label="Plan rows"
        aria-rowcount={total + 1}
        aria-colcount={6}
        aria-busy={view.total === undefined}
        aria-activedescendant={total > 0 ? `plan-${planId}-row-${activeIndex}` : undefined}
        tabIndex={0}
        style={{ height: `${(Math.max(5, total) + 1) * ROW_HEIGHT + 18}px` }}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
        }}
      >
        <div role="row" aria-rowindex={1} className="plan-row plan-head">
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
        </div>
        <div className="plan-body" style={{ height: total * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
      {view.total === 0 && (
        <p className="plan-empty" role="status">
          No rows match this filter. Clear the search or choose other kinds.
        </p>
      )}
    </div>
  );
}
