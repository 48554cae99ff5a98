import { AppError } from '../../shared/errors/errors';

/** The user:password part of a URL, when it has one (undefined for a URL that does not parse). */
function userinfo(url: string): { username: string; password: string } | undefined {
  try {
    const u = new URL(url);
    return u.username || u.password ? { username: u.username, password: u.password } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses credentials inside a proxy or OAuth token URL. Such a URL is saved in
 * `connections.json`, shown by `connections list` and written to logs, so a password in it would
 * be in clear everywhere; the secret store is the only place for secrets.
 */
export function assertNoUrlCredentials(
  what: 'proxy URL' | 'OAuth token URL',
  url: string | undefined,
  field: string,
): void {
  if (url === undefined || userinfo(url) === undefined) return;
  throw new AppError(
    'invalid_request',
    `The ${what} contains a user name or password (user:password@). SCIM Porter does not save credentials inside a URL, where they would be readable in the connections file and in logs.`,
    {
      fields: [field],
      nextStep:
        what === 'proxy URL'
          ? 'Remove user:password@ from the proxy URL. In the CLI, put the proxy user name in the URL and the password in SCIM_PROXY_PASSWORD.'
          : 'Remove user:password@ from the token URL; the client id and client secret are entered in their own fields.',
    },
  );
}

/** The URL without its password (for what is shown or listed), unchanged when it has none. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}
