import { randomUUID } from 'node:crypto';
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

export type ConnectionServiceDeps = {
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

  async function secretFor(profile: ConnectionProfile): Promise<string | undefined> {
    if (profile.kind === 'sandbox') return deps.sandbox?.()?.token;
    return secrets.get(secretKey(profile.id));
  }

  function withLiveSandbox(profile: ConnectionProfile): ConnectionProfile {
    if (profile.kind !== 'sandbox') return profile;
    const live = deps.sandbox?.();
    return live ? { ...profile, baseUrl: live.url } : profile;
  }

  async function summarise(profile: ConnectionProfile): Promise<ConnectionSummary> {
    const live = listable(withLiveSandbox(profile));
    return { ...live, hasSecret: (await secretFor(profile)) !== undefined };
  }

  async function find(idOrName: string): Promise<ConnectionProfile> {
    const all = await profiles.read();
    const wanted = idOrName.trim().toLowerCase();
    const hit =
      all.find((p) => p.id === idOrName) ?? all.find((p) => p.name.toLowerCase() === wanted);
    if (!hit) {
      throw new AppError('not_found', `There is no saved connection named "${idOrName}".`, {
        nextStep: 'List the saved connections (scim-porter connections list) or add one.',
      });
    }
    return withLiveSandbox(hit);
  }

  async function open(idOrName: string): Promise<OpenConnection> {
    const profile = await find(idOrName);
    if (profile.kind === 'sandbox' && !deps.sandbox?.()) {
      throw new AppError('config', 'The Local sandbox runs only while SCIM Porter is open.', {
        nextStep:
          'Start it with "scim-porter sandbox start" and use --url with the printed address.',
      });
    }
    return openConnection(profile, await secretFor(profile), deps.userAgent, deps.logger);
  }

  return {
    find,
    open,

    async list() {
      return Promise.all((await profiles.read()).map(summarise));
    },

    async save({ id, settings, secret }) {
      const body = parseSettings(settings);
      const now = new Date().toISOString();
      const keepsSecret = secret === undefined || secret === '';
      let dropSecret = false;
      if (id !== undefined && keepsSecret) {
        const existing = (await profiles.read()).find((p) => p.id === id);
        const stored = existing?.kind === 'remote' && (await secretFor(existing)) !== undefined;
        if (existing && stored && secretRebindReason(existing, body) !== undefined) {
          // Nothing is sent without credentials, so the stale secret simply goes.
          if (body.auth.kind === 'none') dropSecret = true;
          else assertSecretStillBound(existing, body);
        }
      }
      const saved = await profiles.update((all) => {
        const clash = all.find(
          (p) => p.id !== id && p.name.toLowerCase() === body.name.toLowerCase(),
        );
        if (clash) {
          throw new AppError(
            'invalid_request',
            `A connection named "${body.name}" already exists.`,
            {
              nextStep: 'Choose another name.',
            },
          );
        }
        if (id === undefined) {
          const created: ConnectionProfile = {
            ...body,
            id: randomUUID(),
            kind: 'remote',
            createdAt: now,
            updatedAt: now,
          };
          return { profiles: [...all, created], result: created };
        }
        const existing = all.find((p) => p.id === id);
        if (!existing) throw new AppError('not_found', 'That connection no longer exists.');
        const updated: ConnectionProfile = {
          ...existing,
          ...body,
          // The sandbox's address is assigned at start; keep what is stored.
          baseUrl: existing.kind === 'sandbox' ? existing.baseUrl : body.baseUrl,
          updatedAt: now,
        };
        return { profiles: all.map((p) => (p.id === id ? updated : p)), result: updated };
      });
      if (secret === null || dropSecret) await secrets.delete(secretKey(saved.id));
      else if (secret !== undefined && secret !== '')
        await secrets.set(secretKey(saved.id), secret);
      return summarise(saved);
    },

    async remove(id) {
      await profiles.update((all) => {
        if (!all.some((p) => p.id === id))
          throw new AppError('not_found', 'That connection no longer exists.');
        return { profiles: all.filter((p) => p.id !== id), result: undefined };
      });
      await secrets.delete(secretKey(id));
    },

    async test(input): Promise<DiscoveryResult> {
      let conn: OpenConnection;
      if ('id' in input) {
        conn = await open(input.id);
      } else {
        const body = parseSettings(input.settings);
        const draft: ConnectionProfile = {
          ...body,
          id: 'draft',
          kind: 'remote',
          createdAt: '',
          updatedAt: '',
        };
        conn = await openConnection(draft, input.secret, deps.userAgent, deps.logger);
      }
      try {
        return conn.discovery;
      } finally {
        await conn.close();
      }
    },

    async storedSecretFor(id, settings) {
      const saved = await find(id);
      const stored = await secretFor(saved);
      if (stored !== undefined) assertSecretStillBound(saved, parseSettings(settings));
      return stored;
    },

    async ensureSandboxProfile() {
      await profiles.update((all) => {
        if (all.some((p) => p.kind === 'sandbox')) return { profiles: all, result: undefined };
        const now = new Date().toISOString();
        const sandbox: ConnectionProfile = {
          ...parseSettings({
            name: 'Local sandbox',
            baseUrl: 'http://127.0.0.1/scim/v2',
            auth: { kind: 'bearer' },
          }),
          id: 'local-sandbox',
          kind: 'sandbox',
          createdAt: now,
          updatedAt: now,
        };
        return { profiles: [sandbox, ...all], result: undefined };
      });
    },
  };
}
