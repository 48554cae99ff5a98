import { RATE_PRESETS, ratePreset } from '../engine/connections/rate-presets';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../shared/errors/errors';
import type { ConnectionProfile } from '../shared/connections/profile';
import type { Engine } from '../engine/create-engine';
import { openWithOptions, type OpenConnection } from '../engine/connections/open-connection';
import { toTransportOptions } from '../engine/connections/transport-options';
import { isInsecureRemoteUrl, normaliseBaseUrl } from '../engine/scim/transport/base-url';
import type { AuthConfig, TransportOptions } from '../engine/scim/transport/types';
import { USER_AGENT } from '../engine/version';
import { UsageError } from './exit-codes';
import type { CliIo } from './io';

/** Connection flags every server-facing command accepts. */
export type ConnectionFlags = {
  connection?: string;
  url?: string;
  insecure?: boolean;
  ca?: string[];
  proxy?: string;
  timeout?: string;
  concurrency?: string;
  'max-rps'?: string;
  'rate-preset'?: string;
};

export const CONNECTION_OPTIONS = {
  connection: { type: 'string' },
  url: { type: 'string' },
  insecure: { type: 'boolean' },
  ca: { type: 'string', multiple: true },
  proxy: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'max-rps': { type: 'string' },
  'rate-preset': { type: 'string' },
} as const;

/** Auth for `--url`, from environment variables only (secrets never go on the command line). */
export function authFromEnv(env: Record<string, string | undefined>): AuthConfig {
  if (env['SCIM_TOKEN']) return { kind: 'bearer', token: env['SCIM_TOKEN'] };
  if (env['SCIM_CLIENT_ID'] || env['SCIM_CLIENT_SECRET'] || env['SCIM_TOKEN_URL']) {
    const tokenUrl = env['SCIM_TOKEN_URL'];
    const clientId = env['SCIM_CLIENT_ID'];
    const clientSecret = env['SCIM_CLIENT_SECRET'];
    if (!tokenUrl || !clientId || !clientSecret) {
      throw new UsageError(
        'OAuth needs all of SCIM_TOKEN_URL, SCIM_CLIENT_ID and SCIM_CLIENT_SECRET.',
      );
    }
    return {
      kind: 'oauth2',
      tokenUrl,
      clientId,
      clientSecret,
      ...(env['SCIM_SCOPE'] ? { scope: env['SCIM_SCOPE'] } : {}),
    };
  }
  if (env['SCIM_USERNAME'] || env['SCIM_PASSWORD']) {
    if (!env['SCIM_USERNAME'] || !env['SCIM_PASSWORD']) {
      throw new UsageError('Basic authentication needs both SCIM_USERNAME and SCIM_PASSWORD.');
    }
    return { kind: 'basic', username: env['SCIM_USERNAME'], password: env['SCIM_PASSWORD'] };
  }
  if (env['SCIM_HEADER_NAME'] && env['SCIM_HEADER_VALUE']) {
    return { kind: 'header', name: env['SCIM_HEADER_NAME'], value: env['SCIM_HEADER_VALUE'] };
  }
  return { kind: 'none' };
}

const SECRET_VARIABLE: Record<ConnectionProfile['auth']['kind'], string | undefined> = {
  bearer: 'SCIM_TOKEN',
  basic: 'SCIM_PASSWORD',
  oauth2: 'SCIM_CLIENT_SECRET',
  header: 'SCIM_HEADER_VALUE',
  none: undefined,
};

/** The environment variable that holds a saved profile's secret in the CLI. */
export function envSecretFor(
  profile: ConnectionProfile,
  env: Record<string, string | undefined>,
): string | undefined {
  const variable = SECRET_VARIABLE[profile.auth.kind];
  return variable ? env[variable] : undefined;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${value}".`);
  return n;
}

/** The warning printed when credentials would cross the network over plain http. */
export function plainHttpWarning(options: Pick<TransportOptions, 'baseUrl' | 'auth'>): string[] {
  const lines: string[] = [];
  if (isInsecureRemoteUrl(options.baseUrl) && options.auth.kind !== 'none') {
    lines.push(
      'WARNING: this URL uses plain http:// to a host that is not this machine; the credentials and',
      '         every user record cross the network unencrypted. Use https:// if the server offers it.',
    );
  }
  if (options.auth.kind === 'oauth2' && isInsecureRemoteUrl(options.auth.tokenUrl)) {
    lines.push(
      'WARNING: the OAuth token URL uses plain http:// to a host that is not this machine; the client',
      '         secret and the access token cross the network unencrypted. Use https:// for it.',
    );
  }
  return lines;
}

/**
 * `--proxy`: a password is never taken from the URL (it would sit in the shell history and the
 * process list); it comes from SCIM_PROXY_PASSWORD, for the user name given in the URL.
 */
function proxyFromFlag(flag: string, env: Record<string, string | undefined>): string {
  let url: URL;
  try {
    url = new URL(flag);
  } catch {
    throw new UsageError(`--proxy "${flag.replace(/\/\/[^@/]*@/, '//')}" is not a valid URL.`);
  }
  if (url.password) {
    throw new UsageError(
      '--proxy must not contain a password; put the user name in the URL (http://user@proxy:3128) and the password in SCIM_PROXY_PASSWORD.',
    );
  }
  const password = env['SCIM_PROXY_PASSWORD'];
  if (url.username && password) url.password = encodeURIComponent(password);
  return url.toString();
}

/** Applies the per-invocation transport flags on top of profile or URL options. */
function applyFlags(base: TransportOptions, flags: ConnectionFlags, io: CliIo): TransportOptions {
  const next: TransportOptions = { ...base };
  for (const line of plainHttpWarning(base)) io.err(line);
  if (flags.insecure) {
    io.err(
      'WARNING: --insecure turns off TLS certificate verification. Anyone on the network path can read',
    );
    io.err(
      '         and change this traffic, including the credentials. Use --ca FILE for a private CA instead.',
    );
    next.tls = { ...next.tls, verify: false };
  }
  if (flags.ca?.length) {
    const pems = flags.ca.map((f) => readFileSync(resolve(io.cwd, f), 'utf8'));
    next.tls = { ...next.tls, caCertsPem: [...(next.tls?.caCertsPem ?? []), ...pems] };
  }
  if (flags.proxy) next.proxyUrl = proxyFromFlag(flags.proxy, io.env);
  const timeout = positiveInt('timeout', flags.timeout);
  if (timeout) next.timeoutMs = timeout;
  const concurrency = positiveInt('concurrency', flags.concurrency);
  if (concurrency) next.maxConcurrency = Math.floor(concurrency);
  const rps = positiveInt('max-rps', flags['max-rps']);
  if (rps) next.maxRequestsPerSecond = rps;
  else if (flags['rate-preset'] !== undefined) {
    const preset = ratePreset(flags['rate-preset']);
    if (!preset) {
      throw new UsageError(
        `Unknown --rate-preset "${flags['rate-preset']}". Known: ${RATE_PRESETS.map((p) => p.id).join(', ')}.`,
      );
    }
    next.maxRequestsPerSecond = preset.requestsPerSecond;
    io.err(`Pacing to ${preset.requestsPerSecond} requests/s (${preset.name}: ${preset.source}).`);
  }
  return next;
}

/** Opens the connection named by `--connection` or `--url` (+ environment secrets). */
export async function connectFromFlags(
  engine: Engine,
  flags: ConnectionFlags,
  io: CliIo,
): Promise<OpenConnection> {
  if (flags.connection && flags.url)
    throw new UsageError('Use either --connection or --url, not both.');
  if (flags.url) {
    const auth = authFromEnv(io.env);
    if (auth.kind === 'none') {
      io.err(
        'Note: no SCIM_TOKEN, SCIM_USERNAME/SCIM_PASSWORD or SCIM_CLIENT_* set; sending no credentials.',
      );
    }
    const options = applyFlags(
      { baseUrl: normaliseBaseUrl(flags.url), auth, tls: { verify: true }, userAgent: USER_AGENT },
      flags,
      io,
    );
    return openWithOptions({ id: 'cli', name: flags.url, bulk: 'auto' }, options, engine.logger);
  }
  if (flags.connection) {
    const profile = await engine.connections.find(flags.connection);
    if (profile.kind === 'sandbox') {
      throw new AppError(
        'config',
        'The Local sandbox runs only while the SCIM Porter app is open.',
        {
          nextStep:
            'Run "scim-porter sandbox start" and pass the printed url with --url and token as SCIM_TOKEN.',
        },
      );
    }
    const secret = envSecretFor(profile, io.env);
    const variable = SECRET_VARIABLE[profile.auth.kind];
    if (variable && !secret) {
      throw new AppError(
        'secret_unavailable',
        `The connection "${profile.name}" needs a secret, and ${variable} is not set.`,
        {
          nextStep: `Set ${variable} in the environment (the CLI never reads secrets from arguments or files).`,
        },
      );
    }
    const options = applyFlags(toTransportOptions(profile, secret, USER_AGENT), flags, io);
    return openWithOptions(profile, options, engine.logger);
  }
  throw new UsageError('Say which server: --connection NAME (a saved profile) or --url URL.');
}
