import type { ProblemExample, ProblemFix, ProblemGroup } from '../../../shared/problems/group';

/** How many example rows a group shows before "Show all". */
const SHOWN = 3;

type GroupedProblemsProps = {
  /** The list's accessible name ("Errors", "Problems in the plan"). */
  title: string;
  groups: readonly ProblemGroup[];
  /** Problems of causes beyond the grouping limit (counted, not listed). */
  otherCount?: number;
  /** Applies a one-click fix; without it, fixes are not offered. */
  onFix?: ((fix: ProblemFix, active: boolean) => void) | undefined;
  busy?: boolean;
};

function where(e: ProblemExample): string {
  return `Line ${e.line}${e.row !== undefined ? `, row ${e.row}` : ''}`;
}

function ExampleList({ examples }: { examples: readonly ProblemExample[] }) {
  return (
    <ul className="problem-examples">
      {examples.map((e, i) => (
        <li key={`${e.line}-${i}`}>
          <span className="problem-where">{where(e)}</span>
          {e.value !== undefined ? (
            <>
              : <code>{e.value}</code>
            </>
          ) : (
            <>: {e.message}</>
          )}
        </li>
      ))}
    </ul>
  );
}

function FixButtons(props: {
  fix: ProblemFix;
  onFix: (fix: ProblemFix, active: boolean) => void;
  busy: boolean;
}) {
  const { fix, onFix, busy } = props;
  return (
    <div className="form-actions problem-fix" role="group" aria-label={`Fix: "${fix.word}"`}>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          onFix(fix, false);
        }}
      >
        Count “{fix.word}” as inactive
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          onFix(fix, true);
        }}
      >
        Count “{fix.word}” as active
      </button>
    </div>
  );
}

/** Problems grouped by cause: one line per cause with its count, examples, and the fix. */
export function GroupedProblems({
  title,
  groups,
  otherCount = 0,
  onFix,
  busy = false,
}: GroupedProblemsProps) {
  if (groups.length === 0) return null;
  return (
    <div className="grouped-problems">
      <ul aria-label={title}>
        {groups.map((g) => {
          const more = g.examples.length > SHOWN;
          return (
            <li key={g.key} className={`problem-group ${g.severity}`} data-testid="problem-group">
              <p className="problem-headline">
                <span
                  className={`badge ${g.severity === 'error' ? 'badge-danger' : 'badge-warning'}`}
                >
                  {g.severity}
                </span>{' '}
                <strong>{g.headline}</strong>
                {g.column !== undefined && <span className="muted"> · column {g.column}</span>}
              </p>
              <p className="hint">
                <span className="label">Next step: </span>
                {g.nextStep}
              </p>
              <ExampleList examples={g.examples.slice(0, SHOWN)} />
              {more && (
                <details className="problem-all">
                  <summary>
                    {g.examples.length < g.count
                      ? `Show the first ${g.examples.length} of ${g.count.toLocaleString()} rows`
                      : `Show all ${g.count.toLocaleString()} rows`}
                  </summary>
                  <ExampleList examples={g.examples.slice(SHOWN)} />
                </details>
              )}
              {g.fix && onFix && <FixButtons fix={g.fix} onFix={onFix} busy={busy} />}
            </li>
          );
        })}
      </ul>
      {otherCount > 0 && (
        <p className="muted">
          {otherCount.toLocaleString()} more problems of other causes are counted but not listed.
        </p>
      )}
    </div>
  );
}
