import type { Handler } from '../types';

/** `app:info`: version, platform, and how secrets are stored (the UI warns when insecure). */
export const appInfo: Handler<'app:info'> = (_request, { engine, platform }) =>
  Promise.resolve({
    name: 'SCIM Porter',
    version: engine.version,
    platform,
    secretStorage: engine.secrets.describe(),
  });
