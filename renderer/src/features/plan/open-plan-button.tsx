import { useState } from 'react';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import { client } from '../../api/client';
import { ErrorNotice } from '../../components/error-notice';

/** "Open a saved plan…": native dialog → `plan:open` → the plan's id. */
export function OpenPlanButton(props: { onOpened: (planId: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();

  const open = async (): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      const picked = await client.invoke('dialog:open', { purpose: 'plan' });
      if (!picked.ok) {
        setError(picked.error);
        return;
      }
      if (picked.value.path === null) return; // cancelled
      const opened = await client.invoke('plan:open', { path: picked.value.path });
      if (!opened.ok) {
        setError(opened.error);
        return;
      }
      props.onOpened(opened.value.planId);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="open-plan">
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-busy={busy}
        onClick={() => {
          void open();
        }}
      >
        Open a saved plan…
      </button>
      {error && <ErrorNotice error={error} title="Could not open the plan" />}
    </div>
  );
}
