import { z } from 'zod';

/** The kinds of environment a connection can be labelled with. */
export const ENVIRONMENT_LABELS = ['production', 'staging', 'sandbox', 'other'] as const;
export type EnvironmentLabel = (typeof ENVIRONMENT_LABELS)[number];

/** The colour each label gets unless the admin picks another. */
export const DEFAULT_ENVIRONMENT_COLOURS: Record<EnvironmentLabel, string> = {
  production: '#c62828',
  staging: '#b26a00',
  sandbox: '#2e7d32',
  other: '#5f6b7a',
};

/** Words shown for each label. */
export const ENVIRONMENT_NAMES: Record<EnvironmentLabel, string> = {
  production: 'Production',
  staging: 'Staging',
  sandbox: 'Sandbox',
  other: 'Other',
};

export const EnvironmentSchema = z.strictObject({
  label: z.enum(ENVIRONMENT_LABELS),
  /** A #rrggbb colour for the badge. */
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #c62828'),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

/**
 * The environment of a profile. Profiles saved before environments existed have none: the
 * built-in sandbox counts as "sandbox", any other server as "other" (never silently production).
 */
export function environmentOf(profile: {
  environment?: Environment | undefined;
  kind?: 'remote' | 'sandbox';
}): Environment {
  if (profile.environment) return profile.environment;
  const label: EnvironmentLabel = profile.kind === 'sandbox' ? 'sandbox' : 'other';
  return { label, colour: DEFAULT_ENVIRONMENT_COLOURS[label] };
}

/** Production writes need the connection's name typed back; true when `typed` matches it. */
export function productionNameMatches(name: string, typed: string | undefined): boolean {
  return typed !== undefined && typed.trim() === name.trim();
}
