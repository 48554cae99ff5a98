import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import { Banner } from '../../components/banner';
import { useJobsStore } from '../jobs/jobs-store';
import { useNavStore } from '../shell/nav-store';

/**
 * On start (and after each job): "N interrupted run(s) can be resumed", with a way to the Runs
 * screen. Hidden on the Runs screen itself, and once dismissed.
 */
export function InterruptedRunsBanner() {
  const [count, setCount] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  // Asked again whenever a job finishes: a resumed run no longer needs the banner.
  const finishedCount = useJobsStore((s) => Object.keys(s.finished).length);

  useEffect(() => {
    let live = true;
    void client.invoke('runs:list', {}).then((result) => {
      if (!live || !result.ok) return;
      setCount(result.value.filter((r) => r.status === 'interrupted' || r.resumable).length);
    });
    return () => {
      live = false;
    };
  }, [finishedCount]);

  if (count === 0 || dismissed || screen === 'runs') return null;
  return (
    <Banner
      tone="warning"
      onDismiss={() => {
        setDismissed(true);
      }}
    >
      {count} interrupted {count === 1 ? 'run' : 'runs'} can be resumed.{' '}
      <button
        type="button"
        className="button small"
        onClick={() => {
          go('runs');
        }}
      >
        Review runs
      </button>
    </Banner>
  );
}
