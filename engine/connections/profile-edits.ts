/**
 * The edits to the list of saved profiles, as pure functions over the list (the profile store runs
 * them one at a time and saves the result): find, save (create or update), remove, and the
 * built-in "Local sandbox" profile.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ENVIRONMENT_COLOURS } from '../../shared/connections/environment';
import type {
  ConnectionProfile,
  ConnectionSettings,
  ConnectionSettingsInput,
} from '../../shared/connections/profile';
import { AppError } from '../../shared/errors/errors';

/** A new list and what the edit gives back (the profile store's update shape). */
type ProfileEdit<T> = { profiles: ConnectionProfile[]; result: T };

/** The profile with this id, else the one with this name (case-insensitive, trimmed). */
export function findProfile(
  all: readonly ConnectionProfile[],
  idOrName: string,
): ConnectionProfile {
  const wanted = idOrName.trim().toLowerCase();
  const hit =
    all.find((p) => p.id === idOrName) ?? all.find((p) => p.name.toLowerCase() === wanted);
  if (!hit) {
    throw new AppError('not_found', `There is no saved connection named "${idOrName}".`, {
      nextStep: 'List the saved connections (scim-porter connections list) or add one.',
    });
  }
  return hit;
}

/**
 * Saves `body` as a new profile (`id` undefined) or over the profile `id`; names are unique
 * (case-insensitive) and a sandbox keeps its stored address.
 */
export function saveProfile(
  all: readonly ConnectionProfile[],
  id: string | undefined,
  body: ConnectionSettings,
  now: string,
): ProfileEdit<ConnectionProfile> {
  const clash = all.find((p) => p.id !== id && p.name.toLowerCase() === body.name.toLowerCase());
  if (clash) {
    throw new AppError('invalid_request', `A connection named "${body.name}" already exists.`, {
      nextStep: 'Choose another name.',
    });
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
}

/** The list without the profile `id`, which must exist. */
export function removeProfile(
  all: readonly ConnectionProfile[],
  id: string,
): ProfileEdit<undefined> {
  if (!all.some((p) => p.id === id)) {
    throw new AppError('not_found', 'That connection no longer exists.');
  }
  return { profiles: all.filter((p) => p.id !== id), result: undefined };
}

/** The settings of the built-in "Local sandbox" profile (its address is assigned at start). */
export const SANDBOX_SETTINGS: ConnectionSettingsInput = {
  name: 'Local sandbox',
  baseUrl: 'http://127.0.0.1/scim/v2',
  auth: { kind: 'bearer' },
  environment: { label: 'sandbox', colour: DEFAULT_ENVIRONMENT_COLOURS.sandbox },
};

/** The "Local sandbox" profile (with `settings`, parsed) first in the list, unless one is there. */
export function withSandboxProfile(
  all: ConnectionProfile[],
  now: string,
  settings: ConnectionSettings,
): ProfileEdit<undefined> {
  if (all.some((p) => p.kind === 'sandbox')) return { profiles: all, result: undefined };
  const sandbox: ConnectionProfile = {
    ...settings,
    id: 'local-sandbox',
    kind: 'sandbox',
    createdAt: now,
    updatedAt: now,
  };
  return { profiles: [sandbox, ...all], result: undefined };
}
