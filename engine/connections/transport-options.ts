import type { ConnectionProfile } from '../../shared/connections/profile';
import { AppError } from '../../shared/errors/errors';
import type { AuthConfig, TransportOptions } from '../scim/transport/types';

/** Which secret each auth kind needs, for messages ("no token stored"). */
export function secretLabel(kind: ConnectionProfile['auth']['kind']): string | undefined {
  switch (kind) {
    case 'bearer':
      return 'bearer token';
    case 'basic':
      return 'password';
    case 'oauth2':
      return 'client secret';
    case 'header':
      return 'header value';
    case 'none':
      return undefined;
  }
}

/** Combines a profile's non-secret settings with its secret into the transport's options. */
export function toTransportOptions(
  profile: Pick<
    ConnectionProfile,
    | 'name'
    | 'baseUrl'
    | 'auth'
    | 'tls'
    | 'proxyUrl'
    | 'timeoutMs'
    | 'maxConcurrency'
    | 'maxRequestsPerSecond'
  >,
  secret: string | undefined,
  userAgent: string,
): TransportOptions {
  const label = secretLabel(profile.auth.kind);
  if (label && !secret) {
    throw new AppError(
      'secret_unavailable',
      `No ${label} is stored for the connection "${profile.name}".`,
      {
        nextStep: `Edit the connection and enter the ${label} (in the CLI, set the environment variable for it).`,
      },
    );
  }
  const value = secret ?? '';
  let auth: AuthConfig;
  switch (profile.auth.kind) {
    case 'none':
      auth = { kind: 'none' };
      break;
    case 'bearer':
      auth = { kind: 'bearer', token: value };
      break;
    case 'basic':
      auth = { kind: 'basic', username: profile.auth.username, password: value };
      break;
    case 'oauth2':
      auth = {
        kind: 'oauth2',
        tokenUrl: profile.auth.tokenUrl,
        clientId: profile.auth.clientId,
        clientSecret: value,
        ...(profile.auth.scope ? { scope: profile.auth.scope } : {}),
        ...(profile.auth.credentialsInBody ? { credentialsInBody: true } : {}),
      };
      break;
    case 'header':
      auth = { kind: 'header', name: profile.auth.name, value };
      break;
  }
  return {
    baseUrl: profile.baseUrl,
    auth,
    tls: {
      verify: profile.tls.verify,
      ...(profile.tls.caCertsPem ? { caCertsPem: profile.tls.caCertsPem } : {}),
    },
    ...(profile.proxyUrl ? { proxyUrl: profile.proxyUrl } : {}),
    timeoutMs: profile.timeoutMs,
    maxConcurrency: profile.maxConcurrency,
    ...(profile.maxRequestsPerSecond ? { maxRequestsPerSecond: profile.maxRequestsPerSecond } : {}),
    userAgent,
  };
}
