/**
 * The engine process's side of the protocol, in this process over an in-memory channel (the
 * integration test runs it in a real child process): handshake, answers by id, and that a
 * message it cannot read is still answered so main never waits for it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveEngine, type ParentChannel } from '../../../../engine/host/engine-process';
import { PROTOCOL_VERSION, type FromEngine } from '../../../../engine/host/protocol';

function channel() {
  const sent: FromEngine[] = [];
  let deliver: ((m: unknown) => void) | undefined;
  const parent: ParentChannel = {
    post: (m) => sent.push(structuredClone(m)),
    onMessage: (listener) => {
      deliver = listener;
    },
    onClose: () => undefined,
  };
  return { parent, sent, send: (m: unknown) => deliver?.(structuredClone(m)) };
}

describe('engine process (in-memory channel)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-engine-process-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says hello, starts on request, answers by id, and stops on shutdown', async () => {
    const c = channel();
    const served = serveEngine(c.parent);
    expect(c.sent).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION }]);

    c.send({ type: 'invoke', id: 1, channel: 'app:info', request: {} });
    await vi.waitFor(() => {
      expect(c.sent).toHaveLength(2);
    });
    expect(c.sent[1]).toMatchObject({ type: 'result', id: 1, result: { ok: false } });

    c.send({
      type: 'start',
      protocol: PROTOCOL_VERSION,
      options: {
        dataDir: dir,
        fileAccess: 'any',
        sandbox: { enabled: false },
        secretStorage: { backend: 'test', secure: false, warning: 'memory only' },
      },
    });
    await vi.waitFor(() => {
      expect(c.sent.at(-1)).toEqual({ type: 'ready', version: expect.any(String) as unknown });
    });
    c.send({ type: 'invoke', id: 2, channel: 'app:info', request: {} });
    c.send({ type: 'invoke', id: 3, channel: 'app:info', request: { extra: true } });
    // Not a message of the protocol, but an invoke with an id: answered, not dropped.
    c.send({ type: 'invoke', id: 4, channel: 42 });
    await vi.waitFor(() => {
      expect(c.sent.filter((m) => m.type === 'result')).toHaveLength(4);
    });
    const results = new Map(
      c.sent.flatMap((m) => (m.type === 'result' ? [[m.id, m.result] as const] : [])),
    );
    expect(results.get(2)).toMatchObject({
      ok: true,
      value: { secretStorage: { backend: 'test', secure: false, warning: 'memory only' } },
    });
    expect(results.get(3)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(results.get(4)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'The engine could not read this request.' },
    });

    c.send({ type: 'shutdown' });
    await served;
  });

  it('reports a start it cannot make as fatal, with the reason', async () => {
    const damaged = join(dir, 'damaged');
    await mkdir(damaged);
    await writeFile(join(damaged, 'connections.json'), '{"version": 1, "profiles": "nope"}');
    const c = channel();
    void serveEngine(c.parent);
    c.send({
      type: 'start',
      protocol: PROTOCOL_VERSION,
      options: {
        dataDir: damaged,
        fileAccess: 'any',
        sandbox: { enabled: true },
        secretStorage: { backend: 'test', secure: true },
      },
    });
    await vi.waitFor(() => {
      expect(c.sent.at(-1)?.type).toBe('fatal');
    });
    expect(c.sent.at(-1)).toMatchObject({
      error: { code: 'config', message: expect.stringContaining('damaged') as unknown },
    });
  });
});
