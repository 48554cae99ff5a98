import { z } from 'zod';
import { EnvironmentSchema } from './environment';

/** Non-secret auth settings; the secret itself (token, password, client secret, header value) lives in the SecretStore. */
export const AuthSettingsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bearer') }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1) }),
  z.object({
    kind: z.literal('oauth2'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    scope: z.string().optional(),
    credentialsInBody: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('header'),
    name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name'),
  }),
]);
export type AuthSettings = z.infer<typeof AuthSettingsSchema>;

export const ConnectionSettingsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  baseUrl: z.string().trim().min(1),
  auth: AuthSettingsSchema,
  tls: z
    .object({ verify: z.boolean().default(true), caCertsPem: z.array(z.string()).optional() })
    .default({ verify: true }),
  proxyUrl: z.url().optional(),
  timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  maxConcurrency: z.number().int().min(1).max(64).default(8),
  maxRequestsPerSecond: z.number().positive().max(10_000).optional(),
  /** 'auto' uses /Bulk when the server supports it; 'never' always sends single requests. */
  bulk: z.enum(['auto', 'never']).default('auto'),
  /** Production / staging / sandbox / other, with a colour; absent on profiles saved before. */
  environment: EnvironmentSchema.optional(),
});
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>;
export type ConnectionSettingsInput = z.input<typeof ConnectionSettingsSchema>;

/** A saved connection profile as stored in `connections.json` (never holds secrets). */
export const ConnectionProfileSchema = ConnectionSettingsSchema.extend({
  id: z.string().min(1),
  /** 'sandbox' is the built-in local server; its URL and token are filled in when it starts. */
  kind: z.enum(['remote', 'sandbox']).default('remote'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfileSchema>;

/** What the UI sees of a profile: everything but the secret, plus whether one is stored. */
export type ConnectionSummary = ConnectionProfile & { hasSecret: boolean };
