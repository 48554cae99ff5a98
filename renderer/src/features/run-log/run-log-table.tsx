import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RunLogEntry } from '../../../../shared/ipc/schemas/run-log';
import { entryAt, useRunLogStore } from './run-log-store';

/** Fixed row height in CSS pixels, as the plan table (only visible rows are in the DOM). */
const ROW_HEIGHT = 34;
const OVERSCAN = 8;

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

/** The virtualised grid of a run's operations (same approach as the plan table). */
export function RunLogTable() {
  const { total, pages, ensure, select, selected, queryKey } = useRunLogStore();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const count = total ?? 0;

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
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [queryKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (total !== undefined && last >= first) ensure(first, last);
  }, [first, last, total, queryKey, ensure]);

  const active = Math.min(selected ?? 0, Math.max(0, count - 1));
  const moveTo = (i: number): void => {
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, i));
    select(next);
    const el = scroller.current;
    if (!el) return;
    const top = next * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + 2 * ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    moveTo(target);
  };

  const rows: React.JSX.Element[] = [];
  for (let i = first; i <= last; i++) {
    const e = entryAt(pages, i);
    rows.push(
      <div
        key={i}
        id={`run-log-row-${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected === i}
        className={`plan-row run-log-row${selected === i ? ' selected' : ''}`}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
        onClick={() => {
          select(i);
        }}
      >
        {e ? (
          <LogRow e={e} />
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
        className="plan-table run-log-table"
        role="grid"
        aria-label="Run operations"
        aria-rowcount={count + 1}
        aria-colcount={5}
        aria-busy={total === undefined}
        aria-activedescendant={count > 0 ? `run-log-row-${active}` : undefined}
        tabIndex={0}
        style={{ height: `${(Math.max(5, count) + 1) * ROW_HEIGHT + 18}px` }}
        onKeyDown={onKeyDown}
        onScroll={(ev) => {
          setScrollTop(ev.currentTarget.scrollTop);
        }}
      >
        <div role="row" aria-rowindex={1} className="plan-row plan-head run-log-row">
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
        </div>
        <div className="plan-body" style={{ height: count * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
      {total === 0 && (
        <p className="plan-empty" role="status">
          No operations match. Clear the search or choose another kind or outcome.
        </p>
      )}
    </div>
  );
}
