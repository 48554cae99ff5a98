import type { ConnectionProfile } from '../../shared/connections/profile';
import type { DiscoveryResult, DiscoveryWarning } from '../../shared/scim/discovery-types';
import { createScimClient, type ScimClient } from '../scim/client';
import { discover } from '../scim/discovery';
import { createScimHttp } from '../scim/transport/http';
import { isInsecureRemoteUrl } from '../scim/transport/base-url';
import type { AuthConfig, ScimHttp, TransportOptions } from '../scim/transport/types';
import type { Logger } from '../ports';
import { toTransportOptions } from './transport-options';

/** A live connection: the transport bound to the base URL that answered, what discovery found, and a client. */
export type OpenConnection = {
  profile: Pick<ConnectionProfile, 'id' | 'name' | 'bulk'>;
  http: ScimHttp;
  discovery: DiscoveryResult;
  client: ScimClient;
  close(): Promise<void>;
};

/**
 * The loud warnings for credentials that would cross the network in clear: plain http:// to
 * another machine for the SCIM server, and for an OAuth token endpoint (the client secret and the
 * access token travel there).
 */
export function plainHttpWarnings(baseUrl: string, auth: AuthConfig): DiscoveryWarning[] {
  const warnings: DiscoveryWarning[] = [];
  if (isInsecureRemoteUrl(baseUrl) && auth.kind !== 'none') {
    warnings.push({
      code: 'plain_http',
      message:
        'This connection uses plain http:// to another machine: the credentials and every user record cross the network unencrypted. Use https:// if the server offers it.',
    });
  }
  if (auth.kind === 'oauth2' && isInsecureRemoteUrl(auth.tokenUrl)) {
    warnings.push({
      code: 'plain_http_token_url',
      message:
        'The OAuth token URL uses plain http:// to another machine: the client secret and the access token cross the network unencrypted. Use https:// for the token endpoint.',
    });
  }
  return warnings;
}

/** Runs discovery with the profile's settings and returns a client bound to the resolved base URL. */
export async function openConnection(
  profile: ConnectionProfile,
  secret: string | undefined,
  userAgent: string,
  logger?: Logger,
): Promise<OpenConnection> {
  return openWithOptions(profile, toTransportOptions(profile, secret, userAgent), logger);
}

/** Same as openConnection, from ready transport options (the CLI's `--url` path). */
export async function openWithOptions(
  profile: Pick<ConnectionProfile, 'id' | 'name' | 'bulk'>,
  options: TransportOptions,
  logger?: Logger,
): Promise<OpenConnection> {
  const opened: ScimHttp[] = [];
  const httpFor = (baseUrl: string): ScimHttp => {
    const http = createScimHttp({ ...options, baseUrl }, logger ? { logger } : {});
    opened.push(http);
    return http;
  };
  let discovery: DiscoveryResult;
  try {
    discovery = await discover(httpFor, options.baseUrl);
  } catch (e) {
    await Promise.all(opened.map((h) => h.close()));
    throw e;
  }
  const insecure = plainHttpWarnings(discovery.baseUrl, options.auth);
  if (insecure.length > 0)
    discovery = { ...discovery, warnings: [...discovery.warnings, ...insecure] };
  if (profile.bulk === 'never') {
    discovery = {
      ...discovery,
      effective: { ...discovery.effective, bulk: { ...discovery.effective.bulk, enabled: false } },
    };
  }
  // Keep one transport for the resolved URL; close the candidates that did not answer.
  const http = httpFor(discovery.baseUrl);
  await Promise.all(opened.filter((h) => h !== http).map((h) => h.close()));
  return {
    profile,
    http,
    discovery,
    client: createScimClient({ http, discovery }),
    close: () => http.close(),
  };
}
