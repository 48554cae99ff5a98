/**
 * The secrets of one connection (its credentials and its proxy's password), handed to the
 * redactor so no log line, error or raw answer carries them.
 */
import { createRedactor, type Redactor } from '../../log/redact';
import { oauthClientPair } from './auth';
import type { AuthConfig, TransportOptions } from './types';

/** The literal secrets of an auth setting, in every form a server might echo them. */
export function secretsOf(auth: AuthConfig): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'bearer':
      return [auth.token];
    case 'basic':
      // The pair too: a server that echoes the Basic credential without its scheme echoes the
      // base64 of `user:password`, which the redactor scrubs for every literal it knows.
      return [auth.password, `${auth.username}:${auth.password}`];
    case 'oauth2':
      return [auth.clientSecret, oauthClientPair(auth.clientId, auth.clientSecret)];
    case 'header':
      return [auth.value];
  }
}

/** The password of a proxy URL (`http://user:pass@proxy`), plain and as the `user:pass` pair. */
export function proxySecret(proxyUrl: string | undefined): string[] {
  if (!proxyUrl) return [];
  try {
    const { username, password } = new URL(proxyUrl);
    if (!password) return [];
    const plain = decodeURIComponent(password);
    return [plain, `${decodeURIComponent(username)}:${plain}`];
  } catch {
    return [];
  }
}

/** The redactor of one connection: knows its secrets and its secret header's name. */
export function connectionRedactor(options: Pick<TransportOptions, 'auth' | 'proxyUrl'>): Redactor {
  return createRedactor({
    secrets: [...secretsOf(options.auth), ...proxySecret(options.proxyUrl)],
    secretHeaders: options.auth.kind === 'header' ? [options.auth.name] : [],
  });
}
