import { useImportStore } from './import-store';
import { StepDiagnostics } from './step-diagnostics';
import { StepFile } from './step-file';
import { StepIndicator } from './step-indicator';
import { StepMapping } from './step-mapping';
import { StepPlan } from './step-plan';

/** The Import screen: a wizard from a CSV on disk to a plan to preview and run. */
export function ImportPage() {
  const step = useImportStore((s) => s.step);
  const startOver = useImportStore((s) => s.startOver);
  return (
    <div className="import-page">
      <div className="import-top">
        <StepIndicator current={step} />
        <button type="button" className="button ghost small" onClick={startOver}>
          Start over
        </button>
      </div>
      {step === 'file' && <StepFile />}
      {step === 'diagnostics' && <StepDiagnostics />}
      {step === 'mapping' && <StepMapping />}
      {step === 'plan' && <StepPlan />}
    </div>
  );
}
