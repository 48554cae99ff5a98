import { describe, expect, it } from 'vitest';
import { createJobTracker } from '../../../../engine/host/job-tracker';

const ERROR = { code: 'internal' as const, message: 'stopped' };

describe('job tracker', () => {
  it('knows the jobs started by answers and progress, and forgets finished ones', () => {
    const tracker = createJobTracker();
    tracker.observeResult('apply:start', { ok: true, value: { jobId: 'a' } });
    tracker.observeResult('runs:undo', { ok: true, value: { jobId: 'u' } });
    tracker.observeResult('export:start', { ok: false, error: ERROR });
    tracker.observeResult('connections:remove', { ok: true, value: { id: 'c' } });
    tracker.observeEvent('job:progress', {
      jobId: 'p',
      kind: 'plan',
      phase: 'Planning rows',
      done: 1,
    });
    tracker.observeEvent('job:finished', { jobId: 'a', kind: 'apply', status: 'done' });
    expect(tracker.interrupt(ERROR)).toEqual([
      { jobId: 'u', kind: 'undo', status: 'failed', error: ERROR },
      { jobId: 'p', kind: 'plan', status: 'failed', error: ERROR },
    ]);
    expect(tracker.interrupt(ERROR)).toEqual([]);
  });
});
