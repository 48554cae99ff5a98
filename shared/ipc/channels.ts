/**
 * The IPC surface as plain string lists. No imports on purpose: the preload bundles this file as
 * its allowlist, and it must not drag zod (or anything else) into the sandboxed preload.
 * `contract.ts` checks at compile time that its tables name exactly these strings.
 */

/** Request/response channels (`domain:action`); each takes one request object, returns a Result. */
export const CHANNELS = [
  'app:info',
  'connections:list',
  'connections:save',
  'connections:remove',
  'connections:test',
  'dialog:open',
  'dialog:save',
  'shell:show-in-folder',
  'import:inspect',
  'mapping:presets',
  'mapping:targets',
  'mapping:preview',
  'mapping:load',
  'mapping:save',
  'plan:start',
  'plan:open',
  'plan:info',
  'plan:window',
  'plan:row',
  'apply:start',
  'export:start',
  'jobs:list',
  'jobs:control',
  'runs:list',
  'runs:resume',
  'runs:undo',
  'runs:save-report',
  'runs:save-failed',
  'runs:log',
  'runs:canary',
  'data:cleanup-preview',
  'data:cleanup',
] as const;

/** Events pushed from main to the renderer (`domain:happening`). */
export const EVENTS = [
  'app:notice',
  'app:menu',
  'job:progress',
  'job:finished',
  'import:progress',
] as const;

/**
 * Channels only the preload itself calls, never the page (they are not in the bridge's allowlist):
 * `files:dropped` tells main which file the admin dropped, so main may read it.
 */
export const PRELOAD_CHANNELS = ['files:dropped'] as const;

export type Channel = (typeof CHANNELS)[number];
export type EventName = (typeof EVENTS)[number];

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const EVENT_SET: ReadonlySet<string> = new Set(EVENTS);

/** True when `name` is a channel of the contract (the allowlist check). */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && CHANNEL_SET.has(name);
}

/** True when `name` is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && EVENT_SET.has(name);
}
