import { z } from 'zod';
import {
  ConnectionSettingsSchema,
  type ConnectionProfile,
  type ConnectionSettings,
  type ConnectionSettingsInput,
  type ConnectionSummary,
} from '../../shared/connections/profile';
import { AppError } from '../../shared/errors/errors';
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import type { Logger, SecretStore } from '../ports';
import { normaliseBaseUrl } from '../scim/transport/base-url';
import { openConnection, type OpenConnection } from './open-connection';
import type { ProfileStore } from './profile-store';
import {
  findProfile,
  removeProfile,
  saveProfile,
  SANDBOX_SETTINGS,
  withSandboxProfile,
} from './profile-edits';
import { assertSecretStillBound, secretRebindReason } from './secret-binding';
import { assertNoUrlCredentials, withoutPassword } from './url-credentials';
import type { ConnectionService } from './types';

/** The key a profile's secret is stored under in the SecretStore. */
export function secretKey(profileId: string): string {
  return `connection:${profileId}`;
}

/** Control characters, bidi marks and overrides, line separators: never part of a name. */
const CONTROL = new RegExp(
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]',
);

/** Parses settings from the UI or CLI into a normalised profile body; bad input → invalid_request. */
export function parseSettings(input: ConnectionSettingsInput): ConnectionSettings {
  const parsed = ConnectionSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_request', 'The connection settings are not valid.', {
      raw: z.prettifyError(parsed.error),
    });
  }
  const settings = parsed.data;
  if (CONTROL.test(settings.name)) {
    throw new AppError(
      'invalid_request',
      'The connection name contains a control character (a line break, tab or escape sequence).',
      { fields: ['name'], nextStep: 'Use letters, digits, spaces and punctuation only.' },
    );
  }
  assertNoUrlCredentials('proxy URL', settings.proxyUrl, 'proxyUrl');
  if (settings.auth.kind === 'oauth2') {
    assertNoUrlCredentials('OAuth token URL', settings.auth.tokenUrl, 'auth.tokenUrl');
  }
  return { ...settings, baseUrl: normaliseBaseUrl(settings.baseUrl) };
}

/** A profile as listed: a password a file from an older version held in a URL is not shown. */
function listable(profile: ConnectionProfile): ConnectionProfile {
  const auth =
    profile.auth.kind === 'oauth2'
      ? { ...profile.auth, tokenUrl: withoutPassword(profile.auth.tokenUrl) }
      : profile.auth;
  return {
    ...profile,
    auth,
    ...(profile.proxyUrl !== undefined ? { proxyUrl: withoutPassword(profile.proxyUrl) } : {}),
  };
}

type ConnectionServiceDeps = {
  profiles: ProfileStore;
  secrets: SecretStore;
  userAgent: string;
  /** Receives transport diagnostics (retries, throttling); secrets are scrubbed before it. */
  logger?: Logger;
  /** Live URL + token of the built-in sandbox, when it runs in this process. */
  sandbox?: () => { url: string; token: string } | undefined;
};

/** Saved profiles + secrets + opening connections. The single owner of connection state. */
export function createConnectionService(deps: ConnectionServiceDeps): ConnectionService & {
  /** Finds a profile by id or (case-insensitive) name. */
  find(idOrName: string): Promise<ConnectionProfile>;
  /** Opens a saved profile: discovery + a ready client. Caller closes it. */
  open(idOrName: string): Promise<OpenConnection>;
  /** Makes sure the "Local sandbox" profile exists (first start). */
  ensureSandboxProfile(): Promise<void>;
  /**
   * The secret stored for a saved profile, for use with edited `settings` (testing unsaved edits).
   * Throws when the edits change where the secret would go (see secret-binding).
   */
  storedSecretFor(id: string, settings: ConnectionSettingsInput): Promise<string | undefined>;
} {
  const { profiles, secrets } = deps;
  const find = async (idOrName: string): Promise<ConnectionProfile> =>
    withLiveSandbox(deps, findProfile(await profiles.read(), idOrName));
  const open = async (idOrName: string): Promise<OpenConnection> =>
    openSaved(deps, await find(idOrName));
  return {
    find,
    open,
    async list() {
      return Promise.all((await profiles.read()).map((p) => summarise(deps, p)));
    },
    save: (input) => saveConnection(deps, input),
    async remove(id) {
      await profiles.update((all) => removeProfile(all, id));
      await secrets.delete(secretKey(id));
    },
    async test(input): Promise<DiscoveryResult> {
      const conn =
        'id' in input
          ? await open(input.id)
          : await openConnection(
              draftProfile(parseSettings(input.settings)),
              input.secret,
              deps.userAgent,
              deps.logger,
            );
      try {
        return conn.discovery;
      } finally {
        await conn.close();
      }
    },
    async storedSecretFor(id, settings) {
      const saved = await find(id);
      const stored = await secretFor(deps, saved);
      if (stored !== undefined) assertSecretStillBound(saved, parseSettings(settings));
      return stored;
    },
    async ensureSandboxProfile() {
      await profiles.update((all) =>
        withSandboxProfile(all, new Date().toISOString(), parseSettings(SANDBOX_SETTINGS)),
      );
    },
  };
}

async function secretFor(
  deps: ConnectionServiceDeps,
  profile: ConnectionProfile,
): Promise<string | undefined> {
  if (profile.kind === 'sandbox') return deps.sandbox?.()?.token;
  return deps.secrets.get(secretKey(profile.id));
}

/** A sandbox profile with the address the running sandbox has now. */
function withLiveSandbox(
  deps: ConnectionServiceDeps,
  profile: ConnectionProfile,
): ConnectionProfile {
  if (profile.kind !== 'sandbox') return profile;
  const live = deps.sandbox?.();
  return live ? { ...profile, baseUrl: live.url } : profile;
}

async function summarise(
  deps: ConnectionServiceDeps,
  profile: ConnectionProfile,
): Promise<ConnectionSummary> {
  const live = listable(withLiveSandbox(deps, profile));
  return { ...live, hasSecret: (await secretFor(deps, profile)) !== undefined };
}

async function openSaved(
  deps: ConnectionServiceDeps,
  profile: ConnectionProfile,
): Promise<OpenConnection> {
  if (profile.kind === 'sandbox' && !deps.sandbox?.()) {
    throw new AppError('config', 'The Local sandbox runs only while SCIM Porter is open.', {
      nextStep: 'Start it with "scim-porter sandbox start" and use --url with the printed address.',
    });
  }
  return openConnection(profile, await secretFor(deps, profile), deps.userAgent, deps.logger);
}

/** Unsaved settings as a profile, to test them. */
function draftProfile(body: ConnectionSettings): ConnectionProfile {
  return { ...body, id: 'draft', kind: 'remote', createdAt: '', updatedAt: '' };
}

type SaveInput = Parameters<ConnectionService['save']>[0];

/**
 * Saves a profile and its secret: `undefined` or `''` keeps the stored secret (refused when the
 * edits send it elsewhere; dropped when the edits need none), `null` deletes it.
 */
async function saveConnection(
  deps: ConnectionServiceDeps,
  { id, settings, secret }: SaveInput,
): Promise<ConnectionSummary> {
  const body = parseSettings(settings);
  const now = new Date().toISOString();
  const keepsSecret = secret === undefined || secret === '';
  let dropSecret = false;
  if (id !== undefined && keepsSecret) {
    const existing = (await deps.profiles.read()).find((p) => p.id === id);
    const stored = existing?.kind === 'remote' && (await secretFor(deps, existing)) !== undefined;
    if (existing && stored && secretRebindReason(existing, body) !== undefined) {
      // Nothing is sent without credentials, so the stale secret simply goes.
      if (body.auth.kind === 'none') dropSecret = true;
      else assertSecretStillBound(existing, body);
    }
  }
  const saved = await deps.profiles.update((all) => saveProfile(all, id, body, now));
  if (secret === null || dropSecret) await deps.secrets.delete(secretKey(saved.id));
  else if (secret !== undefined && secret !== '')
    await deps.secrets.set(secretKey(saved.id), secret);
  return summarise(deps, saved);
}
