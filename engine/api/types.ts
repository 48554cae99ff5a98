import type { Channel } from '../../shared/ipc/channels';
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Engine } from '../create-engine';

/** The parts of the engine the IPC handlers use (kept narrow so the router stays easy to host). */
export type ApiEngine = Pick<
  Engine,
  | 'connections'
  | 'secrets'
  | 'version'
  | 'dataDir'
  | 'desktop'
  | 'emit'
  | 'jobs'
  | 'plans'
  | 'files'
  | 'logger'
>;

/** What every handler receives besides its validated request. */
export type HandlerContext = {
  engine: ApiEngine;
  /** `process.platform` of the host, reported by `app:info`. */
  platform: string;
};

/** One handler per channel: receives the validated request, returns the contract's response. */
export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  context: HandlerContext,
) => Promise<ResponseOf<C>>;

/** A table with exactly one handler for every channel; a new channel without one does not compile. */
export type HandlerTable = { [C in Channel]: Handler<C> };
