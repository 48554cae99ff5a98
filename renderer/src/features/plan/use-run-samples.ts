import { useEffect, useState } from 'react';
import { useJobsStore } from '../jobs/jobs-store';
import type { RunSample } from './run-view-model';

const NONE: RunSample[] = [];

/**
 * The run's history (kept by the jobs store at every progress event) and the time now, ticking
 * every second so a wait counts down and a stall shows as a falling rate even with no event.
 */
export function useRunSamples(jobId: string): { samples: RunSample[]; nowMs: number } {
  const samples = useJobsStore((s) => s.samples[jobId] ?? NONE);
  const [nowMs, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return { samples, nowMs };
}
