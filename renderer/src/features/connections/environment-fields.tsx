import {
  DEFAULT_ENVIRONMENT_COLOURS,
  ENVIRONMENT_LABELS,
  ENVIRONMENT_NAMES,
  type EnvironmentLabel,
} from '../../../../shared/connections/environment';
import { EnvironmentBadge } from './environment-badge';
import type { FormDraft } from './form-model';

type EnvironmentFieldsProps = {
  draft: FormDraft;
  update: <K extends keyof FormDraft>(key: K, value: FormDraft[K]) => void;
};

/** The environment label and colour of a connection, with the badge it will show. */
export function EnvironmentFields({ draft, update }: EnvironmentFieldsProps) {
  return (
    <fieldset className="environment-fields-set">
      <legend>Environment</legend>
      <div className="environment-fields">
        <div className="field">
          <label htmlFor="field-envLabel">Environment</label>
          <select
            id="field-envLabel"
            value={draft.envLabel}
            onChange={(e) => {
              const label = e.target.value as EnvironmentLabel;
              update('envLabel', label);
              update('envColour', DEFAULT_ENVIRONMENT_COLOURS[label]);
            }}
          >
            {ENVIRONMENT_LABELS.map((l) => (
              <option key={l} value={l}>
                {ENVIRONMENT_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="field-envColour">Colour</label>
          <input
            id="field-envColour"
            type="color"
            value={draft.envColour}
            onChange={(e) => {
              update('envColour', e.target.value);
            }}
          />
        </div>
        <EnvironmentBadge
          of={{ label: draft.envLabel, colour: draft.envColour }}
          name={draft.name || undefined}
        />
      </div>
      <p className="hint">
        {draft.envLabel === 'production'
          ? 'Runs against this connection ask you to type its name before they start.'
          : 'Shown in the header of every screen, on Confirm and in Runs.'}
      </p>
    </fieldset>
  );
}
