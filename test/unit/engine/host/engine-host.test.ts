/**
 * The engine host (main's side of the engine process) against an engine process played by the
 * test: the handshake, forwarding by id, events, port calls, and what a crash, a failed start, an
 * unreadable message and shutdown do. Time is the test's (an injected clock, fake timers).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEngineHost, type EngineHost } from '../../../../engine/host/engine-host';
import type { HostPorts } from '../../../../engine/host/port-calls';
import { PROTOCOL_VERSION } from '../../../../engine/host/protocol';
import { createMemorySecretStore } from '../../../../engine/secrets/memory-secret-store';
import type { Result } from '../../../../shared/util/result';
import { createScriptedDesktop, type ScriptedDesktop } from '../../../harness/scripted-desktop';
import { createFakeChild, flush, type FakeChild } from './fake-child';

type Setup = {
  host: EngineHost;
  children: FakeChild[];
  /** The engine process running now. */
  child: () => FakeChild;
  events: { event: string; payload: unknown }[];
  desktop: ScriptedDesktop;
  ports: HostPorts;
  clock: { t: number };
  logs: string[];
};

function setup(options: { shutdownTimeoutMs?: number } = {}): Setup {
  const children: FakeChild[] = [];
  const events: Setup['events'] = [];
  const desktop = createScriptedDesktop();
  const ports: HostPorts = {
    desktop,
    secrets: createMemorySecretStore({}, { backend: 'keychain', secure: true }),
  };
  const clock = { t: 1_000_000 };
  const logs: string[] = [];
  const host = startEngineHost({
    spawn: () => {
      const c = createFakeChild(100 + children.length);
      children.push(c);
      return c;
    },
    start: { dataDir: '/data', fileAccess: 'chosen', sandbox: { enabled: true } },
    ports,
    emit: (event, payload) => events.push({ event, payload }),
    logger: { log: (level, message) => logs.push(`${level}: ${message}`) },
    clock: { now: () => clock.t },
    restart: { maxRestarts: 2, windowMs: 60_000 },
    ...options,
  });
  const child = () => {
    const c = children.at(-1);
    if (!c) throw new Error('no engine process');
    return c;
  };
  return { host, children, child, events, desktop, ports, clock, logs };
}

/** Plays a healthy engine process up to `ready`. */
function boot(child: FakeChild): void {
  child.say({ type: 'hello', protocol: PROTOCOL_VERSION });
  child.say({ type: 'ready', version: '0.1.0' });
}

function invokes(child: FakeChild) {
  return child.received.flatMap((m) => (m.type === 'invoke' ? [m] : []));
}

function errorOf(result: Result<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('engine host', () => {
  it('answers hello with the start options and the secret store, and holds requests until ready', async () => {
    const { host, child } = setup();
    const answer = host.dispatch('app:info', {});
    host.grant('/home/ada/dropped.csv');
    const second = host.dispatch('connections:list', {});
    child().say({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(child().received).toEqual([
      {
        type: 'start',
        protocol: PROTOCOL_VERSION,
        options: {
          dataDir: '/data',
          fileAccess: 'chosen',
          sandbox: { enabled: true },
          secretStorage: { backend: 'keychain', secure: true },
        },
      },
    ]);
    child().say({ type: 'ready', version: '0.1.0' });
    await expect(host.ready()).resolves.toEqual({ version: '0.1.0' });
    // In the order they were made: the grant is in force for the request after it.
    expect(
      child()
        .received.slice(1)
        .map((m) => m.type),
    ).toEqual(['invoke', 'grant', 'invoke']);
    const [first, next] = invokes(child());
    child().say({ type: 'result', id: next?.id, result: { ok: true, value: [] } });
    child().say({ type: 'result', id: first?.id, result: { ok: true, value: { name: 'x' } } });
    await expect(second).resolves.toEqual({ ok: true, value: [] });
    await expect(answer).resolves.toEqual({ ok: true, value: { name: 'x' } });
  });

  it('serves port calls against main’s ports; a failing port answers with its error', async () => {
    const { host, child, desktop, ports } = setup();
    boot(child());
    desktop.willOpen('/home/ada/hr.csv');
    const options = {
      title: 'Open a CSV to import',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    };
    child().say({
      type: 'port:call',
      id: 1,
      call: { method: 'desktop.openFile', args: [options] },
    });
    child().say({
      type: 'port:call',
      id: 2,
      call: { method: 'secrets.set', args: ['k', 's3cret'] },
    });
    ports.secrets.get = () => Promise.reject(new Error('keychain locked'));
    child().say({ type: 'port:call', id: 3, call: { method: 'secrets.get', args: ['k'] } });
    await flush();
    const results = child().received.filter((m) => m.type === 'port:result');
    expect(results).toEqual([
      { type: 'port:result', id: 1, result: { ok: true, value: '/home/ada/hr.csv' } },
      { type: 'port:result', id: 2, result: { ok: true, value: undefined } },
      {
        type: 'port:result',
        id: 3,
        result: {
          ok: false,
          error: expect.objectContaining({ code: 'internal', raw: 'keychain locked' }) as unknown,
        },
      },
    ]);
    expect(desktop.dialogs).toEqual([{ kind: 'open', options }]);
    expect(host.pid()).toBe(100);
  });

  it('forwards contract events and drops those that break the contract', () => {
    const { child, events, logs } = setup();
    boot(child());
    child().say({ type: 'event', event: 'app:notice', payload: { level: 'info', message: 'hi' } });
    child().say({ type: 'event', event: 'app:notice', payload: { level: 'loud' } });
    expect(events).toEqual([{ event: 'app:notice', payload: { level: 'info', message: 'hi' } }]);
    expect(logs).toEqual(['warn: dropped an engine event that breaks the contract: app:notice']);
  });

  it('after a crash: open invokes get a clear error, running jobs end, a new process starts', async () => {
    const { host, children, child, events, desktop } = setup();
    boot(child());
    const started = host.dispatch('plan:start', {});
    child().say({
      type: 'result',
      id: invokes(child())[0]?.id,
      result: { ok: true, value: { jobId: 'j1' } },
    });
    await started;
    const progress = { jobId: 'j2', kind: 'export', phase: 'Reading', done: 1 };
    child().say({ type: 'event', event: 'job:progress', payload: progress });
    const open = host.dispatch('plan:window', { planId: 'p' });

    child().exit(null, 'SIGKILL');
    const error = errorOf(await open);
    expect(error).toMatchObject({ code: 'internal', raw: 'channel: plan:window; signal SIGKILL' });
    expect(error.message).toBe("SCIM Porter's engine stopped unexpectedly before it answered.");
    const finished = events.filter((e) => e.event === 'job:finished').map((e) => e.payload);
    expect(finished).toEqual([
      {
        jobId: 'j1',
        kind: 'plan',
        status: 'failed',
        error: expect.objectContaining({ code: 'internal' }) as unknown,
      },
      {
        jobId: 'j2',
        kind: 'export',
        status: 'failed',
        error: expect.objectContaining({ code: 'internal' }) as unknown,
      },
    ]);
    expect(desktop.progress.at(-1)).toBeNull();
    expect(events.at(-1)).toMatchObject({ event: 'app:notice', payload: { level: 'error' } });

    expect(children).toHaveLength(2);
    const again = host.dispatch('app:info', {});
    boot(child());
    child().say({
      type: 'result',
      id: invokes(child())[0]?.id,
      result: { ok: true, value: 'second' },
    });
    await expect(again).resolves.toEqual({ ok: true, value: 'second' });
    expect(host.pid()).toBe(101);
  });

  it('stops restarting after too many crashes in the window, then answers every request plainly', async () => {
    const { host, children, child, clock, events } = setup();
    for (let i = 0; i < 3; i++) {
      boot(child());
      clock.t += 1_000;
      child().exit(1);
    }
    expect(children).toHaveLength(3);
    const error = errorOf(await host.dispatch('app:info', {}));
    expect(error.message).toBe(
      "SCIM Porter's engine stopped 3 times within 60 seconds, so it was not started again.",
    );
    expect(error.raw).toBe('last stop: exit code 1');
    expect(events.at(-1)?.payload).toMatchObject({ level: 'error' });
    expect(host.pid()).toBeUndefined();
  });

  it('restarts again once earlier crashes are outside the window', () => {
    const { children, child, clock } = setup();
    for (let i = 0; i < 3; i++) {
      boot(child());
      clock.t += 40_000;
      child().exit(1);
    }
    expect(children).toHaveLength(4);
  });

  it('a failed start answers every request with its reason and rejects ready()', async () => {
    const { host, child, events } = setup();
    const early = host.dispatch('app:info', {});
    child().say({ type: 'hello', protocol: PROTOCOL_VERSION });
    const cause = { code: 'config', message: 'The saved connections file is damaged.' };
    child().say({ type: 'fatal', error: cause });
    const expected = {
      code: 'config',
      message: "SCIM Porter's engine could not start: The saved connections file is damaged.",
    };
    await expect(early).resolves.toEqual({ ok: false, error: expected });
    await expect(host.ready()).rejects.toThrow(expected.message);
    expect(errorOf(await host.dispatch('app:info', {}))).toEqual(expected);
    expect(child().kills).toBe(1);
    child().exit(1);
    expect(events.at(-1)).toEqual({
      event: 'app:notice',
      payload: { level: 'error', message: expected.message },
    });
  });

  it('treats a message it cannot read as a crash', async () => {
    const { host, child, children, logs } = setup();
    boot(child());
    const open = host.dispatch('app:info', {});
    child().say({ type: 'result', id: 'one', result: { ok: true } });
    expect(child().kills).toBe(1);
    expect(logs[0]).toMatch(/cannot read/);
    child().exit(null, 'SIGTERM');
    expect(errorOf(await open).code).toBe('internal');
    expect(children).toHaveLength(2);
  });

  it('answers at once a request the channel cannot carry', async () => {
    const { host, child } = setup();
    boot(child());
    child().failNextPost('could not be cloned');
    expect(errorOf(await host.dispatch('app:info', {}))).toMatchObject({
      code: 'internal',
      raw: 'could not be cloned',
    });
  });

  it('shuts the engine process down on dispose and waits for it to exit', async () => {
    const { host, child } = setup();
    boot(child());
    const open = host.dispatch('jobs:list', {});
    let disposed = false;
    const closing = host.dispose().then(() => {
      disposed = true;
    });
    expect(child().received.at(-1)).toEqual({ type: 'shutdown' });
    expect(errorOf(await host.dispatch('app:info', {})).code).toBe('cancelled');
    await flush();
    expect(disposed).toBe(false);
    child().exit(0);
    await closing;
    expect(errorOf(await open).code).toBe('cancelled');
  });

  it('kills an engine process that does not stop in time', async () => {
    vi.useFakeTimers();
    const { host, child } = setup({ shutdownTimeoutMs: 5_000 });
    boot(child());
    const closing = host.dispose();
    vi.advanceTimersByTime(4_999);
    expect(child().kills).toBe(0);
    vi.advanceTimersByTime(1);
    expect(child().kills).toBe(1);
    child().exit(null, 'SIGTERM');
    await closing;
  });
});
