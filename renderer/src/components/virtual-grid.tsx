import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

/** Fixed row height in CSS pixels (it scales with zoom like everything else). */
const ROW_HEIGHT = 34;
const OVERSCAN = 8;

type VirtualGridProps = {
  /** The grid's accessible name ("Plan rows", "Run operations"). */
  label: string;
  /** Rows in the (filtered) list; only the visible ones (plus overscan) are in the DOM. */
  count: number;
  /** True until the count is known. */
  busy: boolean;
  /** Changes with every new filter: the grid scrolls back to the top. */
  resetKey: unknown;
  columns: number;
  /** The header row's cells. */
  header: ReactNode;
  /** Row `i`'s cells, or undefined while it is being fetched ("Loading…"). */
  cells: (i: number) => ReactNode | undefined;
  /** The DOM id of row `i` (for aria-activedescendant). */
  rowId: (i: number) => string;
  /** The row the keyboard is on, and the selected one. */
  active: number;
  selected: number | undefined;
  /** Marks the keyboard's row with the `active` class too. */
  markActive?: boolean;
  /** Extra classes for the grid and for every row. */
  className?: string;
  rowClassName?: string;
  /** Rows first..last are about to be shown: fetch what is missing. */
  onRange: (first: number, last: number) => void;
  /** The keyboard moved to row `i` (it is scrolled into view). */
  onMove: (i: number) => void;
  onRowClick: (i: number) => void;
  /** Enter / Space pick the keyboard's row. */
  pickOnEnter?: boolean;
  /** Shown under the grid when it has no rows. */
  empty?: ReactNode;
};

/**
 * A virtualised grid with fixed-height rows (the plan table and the run log): only the visible rows
 * are rendered, positioned by transform in a body as tall as every row; a sticky header; arrow
 * keys, Page Up/Down, Home and End move the active row and keep it in view.
 */
export function VirtualGrid(props: VirtualGridProps) {
  const { count, resetKey, onRange, busy } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

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
  }, [resetKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (!busy && last >= first) onRange(first, last);
  }, [first, last, busy, resetKey, onRange]);

  const active = Math.min(props.active, Math.max(0, count - 1));
  const moveTo = (i: number): void => {
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, i));
    const el = scroller.current;
    if (el) {
      const top = next * ROW_HEIGHT;
      // The sticky header covers the first row's slot.
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + 2 * ROW_HEIGHT > el.scrollTop + el.clientHeight) {
        el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
      }
    }
    props.onMove(next);
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
    if (target !== undefined) {
      e.preventDefault();
      moveTo(target);
      return;
    }
    if (props.pickOnEnter && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      moveTo(active);
    }
  };

  const extra = props.rowClassName ? ` ${props.rowClassName}` : '';
  const rows: React.JSX.Element[] = [];
  for (let i = first; i <= last; i++) {
    const selected = props.selected === i;
    const cells = props.cells(i);
    rows.push(
      <div
        key={i}
        id={props.rowId(i)}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        className={`plan-row${extra}${selected ? ' selected' : ''}${props.markActive && i === active ? ' active' : ''}`}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
        onClick={() => {
          props.onRowClick(i);
        }}
      >
        {cells ?? (
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
        className={`plan-table${props.className ? ` ${props.className}` : ''}`}
        role="grid"
        aria-label={props.label}
        aria-rowcount={count + 1}
        aria-colcount={props.columns}
        aria-busy={busy}
        aria-activedescendant={count > 0 ? props.rowId(active) : undefined}
        tabIndex={0}
        style={{ height: `${(Math.max(5, count) + 1) * ROW_HEIGHT + 18}px` }}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
        }}
      >
        <div role="row" aria-rowindex={1} className={`plan-row plan-head${extra}`}>
          {props.header}
        </div>
        <div className="plan-body" style={{ height: count * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
      {!busy && count === 0 && props.empty}
    </div>
  );
}
