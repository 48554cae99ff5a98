import { describe, expect, it } from 'vitest';
import {
  createRemotePorts,
  servePortCall,
  type HostPorts,
} from '../../../../engine/host/port-calls';
import {
  FromEngineSchema,
  PROTOCOL_VERSION,
  ToEngineSchema,
} from '../../../../engine/host/protocol';
import { createMemorySecretStore } from '../../../../engine/secrets/memory-secret-store';
import { AppError } from '../../../../shared/errors/errors';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import { createScriptedDesktop } from '../../../harness/scripted-desktop';

const START = {
  type: 'start',
  protocol: PROTOCOL_VERSION,
  options: {
    dataDir: '/data',
    fileAccess: 'chosen',
    sandbox: { enabled: true },
    secretStorage: { backend: 'keychain', secure: true },
  },
};

describe('engine process protocol', () => {
  it.each([
    START,
    { type: 'invoke', id: 1, channel: 'app:info', request: {} },
    { type: 'grant', path: '/home/ada/hr.csv' },
    { type: 'port:result', id: 3, result: { ok: true, value: '/tmp/x.csv' } },
    {
      type: 'port:result',
      id: 4,
      result: { ok: false, error: { code: 'cancelled', message: 'no' } },
    },
    { type: 'shutdown' },
  ])('main → engine accepts $type', (message) => {
    expect(ToEngineSchema.safeParse(message).success).toBe(true);
  });

  it.each([
    ['an unknown message type', { type: 'eval', code: '1' }],
    ['another protocol version', { ...START, protocol: PROTOCOL_VERSION + 1 }],
    [
      'start options it does not know',
      { ...START, options: { ...START.options, nodeIntegration: true } },
    ],
    ['a fractional invoke id', { type: 'invoke', id: 1.5, channel: 'app:info', request: {} }],
    [
      'an error code outside the closed set',
      { type: 'port:result', id: 1, result: { ok: false, error: { code: 'oops', message: 'x' } } },
    ],
  ])('main → engine refuses %s', (_what, message) => {
    expect(ToEngineSchema.safeParse(message).success).toBe(false);
  });

  it.each([
    { type: 'hello', protocol: PROTOCOL_VERSION },
    { type: 'ready', version: '0.1.0' },
    { type: 'fatal', error: { code: 'config', message: 'damaged' } },
    { type: 'result', id: 1, result: { ok: true, value: { anything: [1, 2] } } },
    { type: 'event', event: 'job:progress', payload: { jobId: 'j' } },
    { type: 'port:call', id: 2, call: { method: 'secrets.get', args: ['connection:a'] } },
    { type: 'port:call', id: 3, call: { method: 'desktop.setProgress', args: [null] } },
  ])('engine → main accepts $type', (message) => {
    expect(FromEngineSchema.safeParse(message).success).toBe(true);
  });

  it.each([
    ['an event outside the contract', { type: 'event', event: 'shell:exec', payload: {} }],
    [
      'a port method main does not serve',
      { type: 'port:call', id: 1, call: { method: 'shell.openExternal', args: ['https://x'] } },
    ],
    [
      'port arguments of the wrong shape',
      { type: 'port:call', id: 1, call: { method: 'secrets.set', args: ['only-a-key'] } },
    ],
    [
      'a progress outside −1…1',
      { type: 'port:call', id: 1, call: { method: 'desktop.setProgress', args: [7] } },
    ],
    ['a result without ok', { type: 'result', id: 1, result: { value: 1 } }],
  ])('engine → main refuses %s', (_what, message) => {
    expect(FromEngineSchema.safeParse(message).success).toBe(false);
  });
});

describe('error payloads across the channel', () => {
  // Every field of shared/errors/payload.ts, so a field the wire schema forgets is caught here:
  // an optional field missing from a zod object is stripped silently, not refused.
  const everyField: Required<ErrorPayload> = {
    code: 'input',
    message: 'hr.csv has 2 lines above its header row.',
    nextStep: 'Skip them.',
    status: 400,
    scimType: 'invalidValue',
    detail: 'detail',
    method: 'GET',
    url: 'https://scim.example/Users',
    raw: '{}',
    lookupKey: 'userName',
    retryAfterMs: 1000,
    fields: ['csv.skipLines'],
    csvFix: { skipLines: 2, header: false },
  };

  it('an engine answer keeps every field of the error, the CSV read fix included', () => {
    const message = { type: 'result', id: 1, result: { ok: false, error: everyField } };
    expect(FromEngineSchema.parse(message)).toEqual(message);
  });

  it('main’s answer to a port call keeps every field of the error', () => {
    const message = { type: 'port:result', id: 1, result: { ok: false, error: everyField } };
    expect(ToEngineSchema.parse(message)).toEqual(message);
  });
});

describe('ports across the channel', () => {
  function pair() {
    const desktop = createScriptedDesktop();
    const ports: HostPorts = {
      desktop,
      secrets: createMemorySecretStore({}, { backend: 'dpapi', secure: true }),
    };
    const errors: string[] = [];
    // Each call and answer is cloned, as on the real channel.
    const remote = createRemotePorts(
      async (call) => structuredClone(await servePortCall(ports, structuredClone(call))),
      ports.secrets.describe(),
      (method) => errors.push(method),
    );
    return { desktop, ports, remote, errors };
  }

  it('gives the engine process a SecretStore and a DesktopPort that act on main’s', async () => {
    const { desktop, ports, remote } = pair();
    await remote.secrets.set('connection:a', 's3cret');
    expect(await ports.secrets.get('connection:a')).toBe('s3cret');
    expect(await remote.secrets.get('connection:a')).toBe('s3cret');
    await remote.secrets.delete('connection:a');
    expect(await remote.secrets.get('connection:a')).toBeUndefined();
    expect(remote.secrets.describe()).toEqual({ backend: 'dpapi', secure: true });

    desktop.willSave('/home/ada/out.csv');
    const options = { title: 'Save', filters: [], defaultName: 'users.csv' };
    expect(await remote.desktop.saveFile(options)).toBe('/home/ada/out.csv');
    expect(await remote.desktop.openFile(options)).toBeUndefined();
    remote.desktop.setProgress(0.5);
    remote.desktop.notify('Run finished', 'Import → Okta');
    remote.desktop.showInFolder('/home/ada/out.csv');
    await new Promise((resolve) => setImmediate(resolve));
    expect(desktop.progress).toEqual([0.5]);
    expect(desktop.notifications).toEqual([{ title: 'Run finished', body: 'Import → Okta' }]);
    expect(desktop.shown).toEqual(['/home/ada/out.csv']);
  });

  it('rethrows main’s error with its code and facts', async () => {
    const { ports, remote } = pair();
    ports.secrets.get = () =>
      Promise.reject(
        new AppError('secret_unavailable', 'The keychain is locked.', { nextStep: 'Unlock it.' }),
      );
    const error = await remote.secrets.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toPayload()).toEqual({
      code: 'secret_unavailable',
      message: 'The keychain is locked.',
      nextStep: 'Unlock it.',
    });
  });

  it('reports a failed fire-and-forget call instead of losing it', async () => {
    const { desktop, remote, errors } = pair();
    desktop.notify = () => {
      throw new Error('no notification daemon');
    };
    remote.desktop.notify('t', 'b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['desktop.notify']);
  });
});
