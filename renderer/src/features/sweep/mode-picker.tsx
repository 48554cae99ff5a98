import { SWEEP_MODES, type SweepMode } from './sweep-store';

const MODES: Record<SweepMode, { title: string; explain: string }> = {
  'deactivate-listed': {
    title: 'Deactivate everyone in the list',
    explain: 'Each account in the file is switched off (active = false). Nobody else is touched.',
  },
  'delete-listed': {
    title: 'Delete everyone in the list',
    explain: 'Each account in the file is removed from the server. Nobody else is touched.',
  },
  'deactivate-unlisted': {
    title: 'Deactivate everyone NOT in the list',
    explain:
      'The file is the list of people who stay. Every other account (within the scope below) is switched off.',
  },
  'delete-unlisted': {
    title: 'Delete everyone NOT in the list',
    explain:
      'The file is the list of people who stay. Every other account (within the scope below) is removed.',
  },
};

type ModePickerProps = { mode: SweepMode; onChange: (mode: SweepMode) => void; disabled: boolean };

/** The four sweep modes, each explained in one plain sentence. */
export function ModePicker({ mode, onChange, disabled }: ModePickerProps) {
  return (
    <fieldset className="sweep-modes" disabled={disabled}>
      <legend>What should happen</legend>
      {SWEEP_MODES.map((m) => (
        <label
          key={m}
          className={`sweep-mode${m === mode ? ' selected' : ''}${m.startsWith('delete') ? ' destructive' : ''}`}
        >
          <input
            type="radio"
            name="sweep-mode"
            value={m}
            checked={m === mode}
            aria-describedby={`sweep-mode-${m}`}
            onChange={() => {
              onChange(m);
            }}
          />
          <span>
            <strong>{MODES[m].title}</strong>
            <span id={`sweep-mode-${m}`} className="hint">
              {MODES[m].explain}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
