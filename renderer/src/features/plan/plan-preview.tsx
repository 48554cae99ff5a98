import { memo, useEffect, useState } from 'react';
import { PLAN_ACTIONS, type PlanAction } from '../../../../shared/import/types';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import {
  changingCount,
  formatNumber,
  KIND_LABELS,
  MODE_LABELS,
  plural,
} from '../../../../shared/plan/plan-words';
import { ErrorNotice } from '../../components/error-notice';
import { usePlanStore, usePlanView } from './plan-store';
import { targetText } from './plan-text';
import { PlanProblems, type FixProblem } from './plan-problems';
import { PlanWordsList } from './plan-words-list';
import { SafeguardNotice } from './safeguard-notice';
import { PlanTable } from './plan-table';
import { RowDetail } from './row-detail';

/**
 * A bar's length on a log scale, so 934 invalid rows stay visible next to 19,000 updates (a
 * linear bar would be 5 % long); any non-zero count gets at least a sliver.
 */
function barPercent(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.max(3, (Math.log10(1 + n) / Math.log10(1 + max)) * 100);
}

const CountsChart = memo(function CountsChart({ info }: { info: PlanInfo }) {
  const max = Math.max(1, ...PLAN_ACTIONS.map((a) => info.counts[a]));
  const m = info.summary.memberships;
  return (
    <div className="plan-counts">
      <h3 id="plan-counts-heading">Rows by kind</h3>
      <ul className="plan-chart" aria-labelledby="plan-counts-heading">
        {PLAN_ACTIONS.map((a) => (
          <li key={a} className="chart-row">
            <span className="chart-label">{KIND_LABELS[a]}</span>
            <span className="chart-value" data-testid={`count-${a}`}>
              {formatNumber(info.counts[a])}
            </span>
            <span className="chart-track" aria-hidden="true">
              <span
                className={`chart-bar action-${a}`}
                style={{ width: `${barPercent(info.counts[a], max)}%` }}
              />
            </span>
          </li>
        ))}
      </ul>
      <p className="hint">
        Bars on a log scale so small kinds stay visible; the numbers are exact.
      </p>
      {(m.add > 0 || m.remove > 0) && (
        <p className="plan-memberships">
          Group memberships: <strong>+{formatNumber(m.add)}</strong> added,{' '}
          <strong>−{formatNumber(m.remove)}</strong> removed; {plural(m.groupsToCreate, 'group')} to
          create
          {m.groupsToCreateSample.length > 0 && (
            <span className="muted"> ({m.groupsToCreateSample.slice(0, 8).join(', ')})</span>
          )}
          .
        </p>
      )}
    </div>
  );
});

const Facts = memo(function Facts({ info }: { info: PlanInfo }) {
  const s = info.summary;
  return (
    <dl className="facts plan-facts">
      <dt>Target</dt>
      <dd>{targetText(info)}</dd>
      <dt>Mode</dt>
      <dd>{MODE_LABELS[info.mode]}</dd>
      <dt>Resource type</dt>
      <dd>{info.resourceType}</dd>
      {s.csv && (
        <>
          <dt>CSV</dt>
          <dd>
            <code className="path">{s.csv.file}</code> — {plural(s.csv.rows, 'row')}
            {s.csv.damagedRows > 0 && (
              <span className="danger-text">
                {' '}
                ({plural(s.csv.damagedRows, 'damaged row')} left out)
              </span>
            )}
          </dd>
        </>
      )}
      {s.server && (
        <>
          <dt>Server state</dt>
          <dd>
            {s.server.source === 'snapshot' ? 'From a snapshot file' : 'Read from the server'}:{' '}
            {plural(s.server.accounts, 'account')} ({formatNumber(s.server.inScope)} in scope)
          </dd>
        </>
      )}
      <dt>Orphans</dt>
      <dd>
        {s.orphans
          ? `${plural(s.orphans.count, 'account')} on the server ${s.orphans.count === 1 ? 'is' : 'are'} not in the file`
          : 'Not checked'}
      </dd>
    </dl>
  );
});

function Filters({ planId, info }: { planId: string; info: PlanInfo }) {
  const view = usePlanView(planId);
  const setFilter = usePlanStore((s) => s.setFilter);
  const [text, setText] = useState(view.search);

  useEffect(() => {
    if (text === view.search) return;
    const timer = setTimeout(() => {
      setFilter(planId, { search: text });
    }, 250);
    return () => {
      clearTimeout(timer);
    };
  }, [text, view.search, planId, setFilter]);

  const toggle = (a: PlanAction): void => {
    const actions = view.actions.includes(a)
      ? view.actions.filter((x) => x !== a)
      : [...view.actions, a];
    setFilter(planId, { actions });
  };

  return (
    <div className="plan-filters">
      <div role="group" aria-label="Filter by kind" className="kind-filters">
        {PLAN_ACTIONS.filter((a) => info.counts[a] > 0).map((a) => (
          <button
            key={a}
            type="button"
            className="button small kind-toggle"
            aria-pressed={view.actions.includes(a)}
            onClick={() => {
              toggle(a);
            }}
          >
            {KIND_LABELS[a]} ({formatNumber(info.counts[a])})
          </button>
        ))}
        {view.actions.length > 0 && (
          <button
            type="button"
            className="button ghost small"
            onClick={() => {
              setFilter(planId, { actions: [] });
            }}
          >
            Show all kinds
          </button>
        )}
      </div>
      <div className="plan-search">
        <label htmlFor={`plan-search-${planId}`}>Search rows</label>
        <input
          id={`plan-search-${planId}`}
          type="search"
          value={text}
          placeholder="Name, value or problem"
          onChange={(e) => {
            setText(e.target.value);
          }}
        />
      </div>
      <p className="muted plan-match-count" role="status">
        {view.total === undefined
          ? 'Loading rows…'
          : `${plural(view.total, 'row')} ${view.actions.length || view.search ? 'match' : 'in the plan'}`}
      </p>
    </div>
  );
}

const MostChanged = memo(function MostChanged({ info }: { info: PlanInfo }) {
  const attributes = info.summary.attributes;
  if (attributes.length === 0) return null;
  return (
    <div className="plan-attributes">
      <h3>Most-changed attributes</h3>
      <ol>
        {attributes.map((a) => (
          <li key={a.path}>
            <code>{a.path}</code> — {plural(a.rows, 'row')}
          </li>
        ))}
      </ol>
    </div>
  );
});

/** The planner's warnings and what happens to managers. */
const PlanNotes = memo(function PlanNotes({ info }: { info: PlanInfo }) {
  const s = info.summary;
  const missing = s.managers?.missing.length ?? 0;
  // Deferred managers include those found nowhere (reported as missing below).
  const deferred = Math.max(0, (s.managers?.unresolved ?? 0) - missing);
  return (
    <>
      {s.warnings.length > 0 && (
        <div className="plan-warnings" role="note">
          <h3>Warnings</h3>
          <ul>
            {s.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {deferred > 0 && (
        <p className="muted">
          {plural(deferred, 'manager')} will be set after the accounts they refer to are created in
          this run.
        </p>
      )}
      {missing > 0 && (
        <p className="warning-text">
          {plural(missing, 'manager')} named in the file exist neither on the server nor in the
          file; those rows get no manager.
        </p>
      )}
    </>
  );
});

/** Step 1: what the plan would do, with every row browsable. */
export function PlanPreview(props: {
  planId: string;
  onReview: () => void;
  onClose?: (() => void) | undefined;
  /** Applies a problem's fix and plans again (offered by Import, where the mapping is known). */
  onFixProblem?: FixProblem | undefined;
}) {
  const { planId } = props;
  // Only what this level shows: row windows arriving must not re-render the summary.
  const info = usePlanStore((s) => s.plans[planId]?.info);
  const infoError = usePlanStore((s) => s.plans[planId]?.infoError);
  const windowError = usePlanStore((s) => s.plans[planId]?.windowError);
  const loadInfo = usePlanStore((s) => s.loadInfo);

  useEffect(() => {
    void loadInfo(planId);
  }, [planId, loadInfo]);

  if (infoError) return <ErrorNotice error={infoError} title="Could not read the plan" />;
  if (!info) {
    return (
      <section className="plan-step" aria-busy="true">
        <h2>Plan preview</h2>
        <p className="muted">Reading the plan…</p>
      </section>
    );
  }
  const s = info.summary;
  const changing = changingCount({ counts: info.counts, memberships: s.memberships });
  return (
    <section className="plan-step" aria-labelledby={`plan-preview-${planId}`}>
      <h2 id={`plan-preview-${planId}`}>Plan preview</h2>
      <p className="plan-lead">
        {changing === 0
          ? 'This plan changes nothing on the server.'
          : `This plan makes ${plural(changing, 'change')} on ${targetText(info)}. Nothing has been written yet.`}
      </p>
      {info.edited && (
        <p className="plan-edited" role="alert">
          {info.edited}
        </p>
      )}
      <PlanWordsList info={info} label="What the plan does" />
      <div className="plan-overview">
        <Facts info={info} />
        <CountsChart info={info} />
        <MostChanged info={info} />
      </div>
      <SafeguardNotice status={s.safeguards} title="Safeguard exceeded: this plan is blocked" />
      <PlanNotes info={info} />
      <PlanProblems info={info} onFix={props.onFixProblem} />

      <h3>Rows</h3>
      <Filters planId={planId} info={info} />
      {windowError && <ErrorNotice error={windowError} title="Could not read the rows" />}
      <div className="plan-rows-area">
        <PlanTable planId={planId} />
        <RowDetail planId={planId} />
      </div>

      <div className="form-actions plan-actions">
        <button
          type="button"
          className="button primary"
          disabled={changing === 0 || info.edited !== undefined}
          onClick={props.onReview}
        >
          Review and apply
        </button>
        {props.onClose && (
          <button type="button" className="button ghost" onClick={props.onClose}>
            Close the plan
          </button>
        )}
        {changing === 0 && <span className="muted">There is nothing to apply.</span>}
      </div>
    </section>
  );
}
