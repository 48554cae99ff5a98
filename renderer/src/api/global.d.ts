import type { ScimPorterApi } from '../../../shared/ipc/bridge';

declare global {
  // Declaration merging with lib.dom needs an interface here; everything else uses `type`.
  interface Window {
    /** Exposed by the preload (or the e2e browser shim). Only api/client.ts may read it. */
    readonly scimPorter?: ScimPorterApi;
  }
}

export {};
