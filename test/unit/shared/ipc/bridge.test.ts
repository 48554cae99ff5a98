import { describe, expect, it } from 'vitest';
import { createBridge, type BridgeTransport } from '../../../../shared/ipc/bridge';
import type { Channel } from '../../../../shared/ipc/channels';

/** A transport that records what reached it and answers like the router would. */
function recordingTransport(
  answer: (channel: string, request: unknown) => unknown = () => ({ ok: true, value: [] }),
) {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const transport: BridgeTransport = {
    invoke(channel, request) {
      calls.push({ channel, request });
      return Promise.resolve(answer(channel, request));
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  const fire = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { transport, calls, listeners, fire };
}

describe('createBridge', () => {
  it('passes allowlisted channels through and returns the Result unchanged', async () => {
    const t = recordingTransport();
    const api = createBridge(t.transport);
    const result = await api.invoke('connections:list', {});
    expect(result).toEqual({ ok: true, value: [] });
    expect(t.calls).toEqual([{ channel: 'connections:list', request: {} }]);
  });

  it('refuses channels that are not in the contract without touching the transport', async () => {
    const t = recordingTransport();
    const api = createBridge(t.transport);
    const result = await api.invoke('shell:openExternal' as Channel, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_request');
    expect(t.calls).toHaveLength(0);
  });

  it('turns a transport failure into an internal error Result', async () => {
    const api = createBridge({
      invoke: () => Promise.reject(new Error('ipc closed')),
      on: () => () => undefined,
    });
    const result = await api.invoke('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', raw: 'ipc closed' } });
  });

  it('rejects answers that are not Result envelopes', async () => {
    const api = createBridge(recordingTransport(() => 'surprise').transport);
    const result = await api.invoke('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers allowlisted events and unsubscribes exactly once', () => {
    const t = recordingTransport();
    const api = createBridge(t.transport);
    const seen: unknown[] = [];
    const off = api.on('app:notice', (p) => seen.push(p));
    t.fire('app:notice', { level: 'info', message: 'hello' });
    off();
    off();
    t.fire('app:notice', { level: 'info', message: 'after' });
    expect(seen).toEqual([{ level: 'info', message: 'hello' }]);
    expect(t.listeners.get('app:notice')?.size).toBe(0);
  });

  it('refuses unknown events', () => {
    const api = createBridge(recordingTransport().transport);
    expect(() => api.on('run:secretStuff' as 'app:notice', () => undefined)).toThrow(TypeError);
  });

  it('exposes only invoke, on and pathForFile, frozen', () => {
    const api = createBridge(recordingTransport().transport);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    expect(Object.isFrozen(api)).toBe(true);
  });
});
