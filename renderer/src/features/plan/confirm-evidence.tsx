import { useEffect, useState } from 'react';
import type { PlanAction, PlanRow } from '../../../../shared/import/types';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { formatNumber, plural } from '../../../../shared/plan/plan-words';
import { client } from '../../api/client';

/** How many names each list shows before "and N more". */
const NAMES = 10;

/** The first rows of one kind, read from the plan (undefined while reading). */
function useFirstRows(planId: string, action: PlanAction, count: number): PlanRow[] | undefined {
  const [rows, setRows] = useState<PlanRow[]>();
  useEffect(() => {
    if (count === 0) return;
    let live = true;
    void client
      .invoke('plan:window', { planId, offset: 0, limit: NAMES, actions: [action] })
      .then((r) => {
        if (live && r.ok) setRows(r.value.rows);
      });
    return () => {
      live = false;
    };
  }, [planId, action, count]);
  return rows;
}

function People(props: { planId: string; action: PlanAction; count: number; title: string }) {
  const rows = useFirstRows(props.planId, props.action, props.count);
  if (props.count === 0) return null;
  const rest = props.count - (rows?.length ?? 0);
  return (
    <div className="evidence-group" data-testid={`evidence-${props.action}`}>
      <h4>
        {props.title} ({formatNumber(props.count)})
      </h4>
      {rows === undefined ? (
        <p className="muted">Reading the plan…</p>
      ) : (
        <ul aria-label={props.title}>
          {rows.map((r) => (
            <li key={r.seq}>{r.display}</li>
          ))}
          {rest > 0 && <li className="muted">and {formatNumber(rest)} more</li>}
        </ul>
      )}
    </div>
  );
}

/** Who loses access, who is deleted and which attributes change for how many, before Apply. */
export function ConfirmEvidence({ info }: { info: PlanInfo }) {
  const c = info.counts;
  const attributes = info.summary.attributes;
  if (c.deactivate === 0 && c.delete === 0 && attributes.length === 0) return null;
  return (
    <section className="confirm-evidence" aria-labelledby={`evidence-${info.planId}`}>
      <h3 id={`evidence-${info.planId}`}>Who and what this changes</h3>
      <div className="evidence-grid">
        <People
          planId={info.planId}
          action="deactivate"
          count={c.deactivate}
          title="Lose access (deactivated)"
        />
        <People planId={info.planId} action="delete" count={c.delete} title="Deleted" />
        {attributes.length > 0 && (
          <div className="evidence-group" data-testid="evidence-attributes">
            <h4>Attributes that change</h4>
            <ul aria-label="Attributes that change">
              {attributes.map((a) => (
                <li key={a.path}>
                  <code>{a.path}</code> on {plural(a.rows, 'account')}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
