import { useEffect, useRef, useState } from 'react';
import { ConfirmStep } from './confirm-step';
import type { FixProblem } from './plan-problems';
import { PlanPreview } from './plan-preview';
import { usePlanView } from './plan-store';
import { RunMonitor } from './run-monitor';

type Step = { kind: 'preview' } | { kind: 'confirm' } | { kind: 'run'; jobId: string };

/** One plan from preview to results: preview → confirm → run → results (and undo). */
export function PlanFlow(props: {
  planId: string;
  connectionId: string;
  onClose?: () => void;
  onFixProblem?: FixProblem | undefined;
}) {
  const [step, setStep] = useState<Step>({ kind: 'preview' });
  const info = usePlanView(props.planId).info;
  const stepRef = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  // After Review and apply, and after Apply, focus moves to the new step's heading.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = stepRef.current?.querySelector<HTMLElement>('h2, h3');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [step]);

  return (
    <div className="plan-flow">
      <ol className="plan-steps" aria-label="Steps">
        {(['Preview', 'Confirm', 'Run and results'] as const).map((label, i) => {
          const current = ['preview', 'confirm', 'run'].indexOf(step.kind) === i;
          return (
            <li key={label} aria-current={current ? 'step' : undefined}>
              {label}
            </li>
          );
        })}
      </ol>
      <div ref={stepRef} className="plan-flow-step">
        {step.kind === 'preview' && (
          <PlanPreview
            planId={props.planId}
            onReview={() => {
              setStep({ kind: 'confirm' });
            }}
            onClose={props.onClose}
            onFixProblem={props.onFixProblem}
          />
        )}
        {step.kind === 'confirm' && info && (
          <ConfirmStep
            info={info}
            connectionId={props.connectionId}
            onBack={() => {
              setStep({ kind: 'preview' });
            }}
            onStarted={(jobId) => {
              setStep({ kind: 'run', jobId });
            }}
          />
        )}
        {step.kind === 'run' && (
          <RunMonitor
            jobId={step.jobId}
            connectionId={props.connectionId}
            planView={PlanFlow}
            {...(props.onClose ? { onClose: props.onClose } : {})}
          />
        )}
      </div>
    </div>
  );
}
