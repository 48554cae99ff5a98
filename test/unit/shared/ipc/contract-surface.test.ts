import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTED_CHANNELS } from '../../../../engine/api/router';
import { CHANNELS, EVENTS, isChannel, isEventName } from '../../../../shared/ipc/channels';
import { contract, events } from '../../../../shared/ipc/contract';

describe('IPC surface', () => {
  it('names the same channels in channels.ts, the contract and the router', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
    expect([...ROUTED_CHANNELS].sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENTS].sort());
  });

  it('lists the whole surface, so any new channel or event shows up in review', () => {
    expect({ channels: CHANNELS, events: EVENTS }).toMatchInlineSnapshot(`
      {
        "channels": [
          "app:info",
          "connections:list",
          "connections:save",
          "connections:remove",
          "connections:test",
          "dialog:open",
          "dialog:save",
          "shell:show-in-folder",
          "import:inspect",
          "mapping:presets",
          "mapping:targets",
          "mapping:preview",
          "mapping:load",
          "mapping:save",
          "plan:start",
          "plan:open",
          "plan:info",
          "plan:window",
          "plan:row",
          "apply:start",
          "export:start",
          "jobs:list",
          "jobs:control",
          "runs:list",
          "runs:resume",
          "runs:undo",
          "runs:save-report",
          "runs:save-failed",
          "runs:log",
          "runs:canary",
          "data:cleanup-preview",
          "data:cleanup",
        ],
        "events": [
          "app:notice",
          "app:menu",
          "job:progress",
          "job:finished",
          "import:progress",
        ],
      }
    `);
  });

  it('uses domain:action names', () => {
    for (const name of [...CHANNELS, ...EVENTS]) expect(name).toMatch(/^[a-z]+:[a-z][a-z-]*$/);
  });

  it('recognises only its own names', () => {
    expect(isChannel('connections:list')).toBe(true);
    expect(isChannel('connections:List')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel(42)).toBe(false);
    expect(isEventName('app:notice')).toBe(true);
    expect(isEventName('connections:list')).toBe(false);
  });

  it('never lets a secret out: no response schema has a secret field', () => {
    for (const [channel, spec] of Object.entries(contract)) {
      const schema = JSON.stringify(
        z.toJSONSchema(spec.response, { unrepresentable: 'any', io: 'output' }),
      );
      expect(schema, channel).toContain('"type"');
      expect(schema, channel).not.toMatch(/"(secret|token|password)"/i);
    }
  });
});
