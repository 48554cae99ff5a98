import { useEffect, useState, type DragEvent } from 'react';
import { client } from '../../api/client';
import { ConnectionPicker } from '../../components/connection-picker';
import { ErrorNotice } from '../../components/error-notice';
import { OpenPlanButton } from '../plan/open-plan-button';
import { baseName, useImportStore } from './import-store';
import { StepHeading } from './step-heading';

/** Step 1: the target server, an optional preset, and the CSV (dialog or drop). */
export function StepFile() {
  const connectionId = useImportStore((s) => s.connectionId);
  const setConnection = useImportStore((s) => s.setConnection);
  const presetId = useImportStore((s) => s.presetId);
  const setPreset = useImportStore((s) => s.setPreset);
  const presets = useImportStore((s) => s.presets);
  const presetsError = useImportStore((s) => s.presetsError);
  const loadPresets = useImportStore((s) => s.loadPresets);
  const chooseCsv = useImportStore((s) => s.chooseCsv);
  const openError = useImportStore((s) => s.openError);
  const showPlan = useImportStore((s) => s.showPlan);
  const path = useImportStore((s) => s.path);
  const reopen = useImportStore((s) => s.reopen);

  useEffect(() => {
    if (presets.length === 0) void loadPresets();
  }, [presets.length, loadPresets]);

  const selected = presets.find((p) => p.id === presetId);

  return (
    <section className="import-step" aria-labelledby="import-file-heading">
      <StepHeading id="import-file-heading">Choose a CSV file</StepHeading>
      <div className="field-row">
        <ConnectionPicker
          id="import-connection"
          label="Import into"
          value={connectionId}
          onChange={setConnection}
        />
        <div className="field">
          <label htmlFor="import-preset">File kind</label>
          <select
            id="import-preset"
            value={presetId}
            aria-describedby="import-preset-hint"
            onChange={(e) => {
              setPreset(e.target.value);
            }}
          >
            <option value="">Detect automatically</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <p id="import-preset-hint" className="hint">
            {selected?.description ??
              'SCIM Porter recognises Okta, Entra, Google Workspace and typical HR exports by their headers.'}
          </p>
        </div>
      </div>
      {presetsError && <ErrorNotice error={presetsError} title="Could not list the file kinds" />}

      <div className="import-file-actions">
        <button
          type="button"
          className="button primary"
          onClick={() => {
            void chooseCsv();
          }}
        >
          Open CSV…
        </button>
        {path && (
          <button
            type="button"
            className="button"
            onClick={() => {
              void reopen();
            }}
          >
            Read {baseName(path)} again
          </button>
        )}
        <OpenPlanButton onOpened={showPlan} />
      </div>
      {openError && <ErrorNotice error={openError} title="Could not open the file" />}
      <DropZone />
    </section>
  );
}

/** Accepts a CSV dragged from the file manager; the engine needs its path on disk. */
function DropZone() {
  const openDropped = useImportStore((s) => s.openDropped);
  const dropMessage = useImportStore((s) => s.dropMessage);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    void openDropped(client.pathForFile(file), file.name);
  };

  return (
    <>
      <div
        className={`import-drop${over ? ' over' : ''}`}
        role="region"
        aria-label="Drop a CSV file here"
        aria-describedby="import-drop-hint"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => {
          setOver(false);
        }}
        onDrop={onDrop}
      >
        <p className="import-drop-title">Drop a CSV file here</p>
        <p id="import-drop-hint" className="muted">
          No file yet. Drop one from your file manager, or use Open CSV…. Nothing is written to the
          server until you confirm a plan.
        </p>
      </div>
      {dropMessage && (
        <p className="import-drop-error" role="alert">
          {dropMessage}
        </p>
      )}
    </>
  );
}
