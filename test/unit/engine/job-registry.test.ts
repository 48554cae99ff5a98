import { describe, expect, it } from 'vitest';
import { createJobRegistry } from '../../../engine/workspace/job-registry';
import type { JobThrottle } from '../../../shared/ipc/schemas/jobs';
import { createScriptedDesktop } from '../../harness/scripted-desktop';

function setup(progressIntervalMs = 0) {
  const events: { event: string; payload: unknown }[] = [];
  const desktop = createScriptedDesktop();
  const jobs = createJobRegistry({
    emit: (event, payload) => events.push({ event, payload }),
    desktop,
    progressIntervalMs,
  });
  return { jobs, events, desktop };
}

describe('job registry', () => {
  it('reports progress, the outcome, taskbar progress and a notification', async () => {
    const { jobs, events, desktop } = setup();
    const id = jobs.start('export', 'Export of Users', (ctx) => {
      ctx.progress({ phase: 'Reading', done: 5, total: 10 });
      return Promise.resolve({ exported: 10 });
    });
    const done = await jobs.settled(id);
    expect(done).toMatchObject({ status: 'done', outcome: { exported: 10 } });
    expect(events.map((e) => e.event)).toEqual(['job:progress', 'job:finished']);
    expect(events[0]?.payload).toMatchObject({ jobId: id, kind: 'export', done: 5, total: 10 });
    expect(desktop.progress).toEqual([-1, 0.5, null]);
    expect(desktop.notifications).toEqual([{ title: 'Export finished', body: 'Export of Users' }]);
  });

  it('holds a paused job until resumed, and wakes a paused job to cancel it', async () => {
    const { jobs } = setup();
    const seen: string[] = [];
    const id = jobs.start('apply', 'Run', async (ctx) => {
      seen.push('started');
      await ctx.control.whenResumed();
      seen.push(ctx.signal.aborted ? 'cancelled' : 'resumed');
      return {};
    });
    jobs.control(id, 'pause');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['started']);
    expect(jobs.list()[0]?.status).toBe('paused');
    jobs.control(id, 'cancel');
    expect(await jobs.settled(id)).toMatchObject({ status: 'cancelled' });
    expect(seen).toEqual(['started', 'cancelled']);
  });

  it('turns a thrown error into a failed job with the error payload', async () => {
    const { jobs, desktop } = setup();
    const id = jobs.start('plan', 'Plan', () => Promise.reject(new Error('boom')));
    const done = await jobs.settled(id);
    expect(done?.status).toBe('failed');
    expect(done?.error?.code).toBe('internal');
    expect(desktop.notifications[0]?.title).toBe('SCIM Porter: failed');
  });

  it('throttles progress events and always sends the latest', async () => {
    const { jobs, events } = setup(50);
    const id = jobs.start('plan', 'Plan', async (ctx) => {
      for (let i = 1; i <= 100; i++) ctx.progress({ phase: 'Planning rows', done: i });
      await new Promise((r) => setTimeout(r, 80));
      return {};
    });
    await jobs.settled(id);
    const progress = events.filter((e) => e.event === 'job:progress');
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(progress.at(-1)?.payload).toMatchObject({ done: 100 });
  });

  it('knows which job works on a subject until it finishes', async () => {
    const { jobs } = setup();
    let release = (): void => undefined;
    const id = jobs.start(
      'apply',
      'Run',
      () =>
        new Promise((r) => {
          release = () => {
            r({});
          };
        }),
      'run-1',
    );
    expect(jobs.activeFor('run-1')).toBe(id);
    await new Promise((r) => setTimeout(r, 5));
    release();
    await jobs.settled(id);
    expect(jobs.activeFor('run-1')).toBeUndefined();
  });
});

describe('job registry: pacing (issue 18)', () => {
  /** A ticker the test drives by hand: `tick()` is one second passing. */
  function manualTicker() {
    const ticks = new Set<() => void>();
    return {
      ticker: (_ms: number, tick: () => void) => {
        ticks.add(tick);
        return () => ticks.delete(tick);
      },
      tick: () => {
        for (const t of [...ticks]) t();
      },
      active: () => ticks.size,
    };
  }

  it('puts the connection pacing into every progress event and re-sends one every tick', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const clock = manualTicker();
    const jobs = createJobRegistry({
      emit: (event, payload) => events.push({ event, payload }),
      desktop: createScriptedDesktop(),
      progressIntervalMs: 0,
      ticker: clock.ticker,
    });
    let throttle: JobThrottle = {
      requestsPerSecond: 48,
      allowedPerSecond: 48,
      source: 'learned',
      rateLimited: 3,
      retried: 0,
    };
    let release = (): void => undefined;
    const id = jobs.start('apply', 'Run', async (ctx) => {
      ctx.pacing(() => throttle);
      ctx.progress({ phase: 'Applying', done: 10, total: 100 });
      await new Promise<void>((r) => {
        release = r;
      });
      return {};
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const progress = () => events.filter((e) => e.event === 'job:progress').map((e) => e.payload);
    expect(progress()).toEqual([expect.objectContaining({ done: 10, throttle })]);
    // The job waits for the server's rate limit and reports nothing itself: the ticks still do.
    throttle = { ...throttle, waiting: { cause: 'rate-limit', untilEpochMs: 1_700_000_012_000 } };
    clock.tick();
    clock.tick();
    expect(progress()).toHaveLength(3);
    expect(progress().at(-1)).toMatchObject({
      done: 10,
      throttle: { waiting: { cause: 'rate-limit' } },
    });
    release();
    await jobs.settled(id);
    expect(clock.active()).toBe(0);
    clock.tick();
    expect(progress()).toHaveLength(3);
  });

  it('before its first progress, a job only ticks while its connection waits', async () => {
    const events: { event: string; payload: unknown }[] = [];
    const clock = manualTicker();
    const jobs = createJobRegistry({
      emit: (event, payload) => events.push({ event, payload }),
      desktop: createScriptedDesktop(),
      progressIntervalMs: 0,
      ticker: clock.ticker,
    });
    let throttle: JobThrottle = { requestsPerSecond: 0, rateLimited: 0, retried: 0 };
    let release = (): void => undefined;
    const id = jobs.start('plan', 'Plan', async (ctx) => {
      ctx.pacing(() => throttle);
      await new Promise<void>((r) => {
        release = r;
      });
      return {};
    });
    await new Promise((r) => setImmediate(r));
    clock.tick();
    expect(events).toHaveLength(0);
    throttle = { ...throttle, rateLimited: 1, waiting: { cause: 'rate-limit', untilEpochMs: 1 } };
    clock.tick();
    expect(events[0]?.payload).toMatchObject({
      phase: 'Waiting for the server',
      done: 0,
      throttle,
    });
    release();
    await jobs.settled(id);
  });
});
