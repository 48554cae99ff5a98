import type { ImportStep } from './import-store';

const STEP_ORDER: readonly { step: ImportStep; label: string }[] = [
  { step: 'file', label: 'Choose file' },
  { step: 'diagnostics', label: 'Check the file' },
  { step: 'mapping', label: 'Map columns' },
  { step: 'plan', label: 'Plan and run' },
];

/** Where the admin is in the wizard: an ordered list, the current step marked. */
export function StepIndicator({ current }: { current: ImportStep }) {
  const currentIndex = STEP_ORDER.findIndex((s) => s.step === current);
  return (
    <ol className="import-steps" aria-label="Import steps">
      {STEP_ORDER.map((s, i) => (
        <li
          key={s.step}
          aria-current={i === currentIndex ? 'step' : undefined}
          className={i < currentIndex ? 'done' : i === currentIndex ? 'current' : undefined}
        >
          <span className="import-step-number" aria-hidden="true">
            {i < currentIndex ? '✓' : i + 1}
          </span>
          <span>{s.label}</span>
          {i < currentIndex && <span className="visually-hidden"> (done)</span>}
        </li>
      ))}
    </ol>
  );
}
