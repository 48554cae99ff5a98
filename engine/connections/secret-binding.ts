import type { ConnectionSettings } from '../../shared/connections/profile';
import { AppError } from '../../shared/errors/errors';
import { secretLabel } from './transport-options';

type Bound = Pick<ConnectionSettings, 'name' | 'baseUrl' | 'auth' | 'proxyUrl'>;

function originOf(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.trim();
  }
}

function sameUrl(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a.trim() === b.trim();
  }
}

/**
 * What a stored secret is bound to: where it was entered for. A secret goes to the origin of the
 * base URL (bearer, Basic, a custom header), or to the OAuth token URL (the client secret),
 * through the proxy, under the header name, as the kind of credential it was entered as. Returns
 * what changed between `saved` and `next`, or undefined when the stored secret may be reused.
 */
export function secretRebindReason(saved: Bound, next: Bound): string | undefined {
  if (saved.auth.kind !== next.auth.kind) return 'the kind of authentication';
  if (originOf(saved.baseUrl) !== originOf(next.baseUrl)) return 'the server address';
  if (saved.auth.kind === 'oauth2' && next.auth.kind === 'oauth2') {
    if (!sameUrl(saved.auth.tokenUrl, next.auth.tokenUrl)) return 'the token URL';
  }
  if (saved.auth.kind === 'header' && next.auth.kind === 'header') {
    if (saved.auth.name.toLowerCase() !== next.auth.name.toLowerCase()) return 'the header name';
  }
  if (!sameUrl(saved.proxyUrl, next.proxyUrl)) return 'the proxy';
  return undefined;
}

/**
 * Throws when `next` would send the secret stored for `saved` somewhere it was not entered for.
 * The admin must type it again: a page that edits the URL (or token URL, proxy, header name) of a
 * saved connection can never make main send a stored secret to a new place.
 */
export function assertSecretStillBound(saved: Bound, next: Bound): void {
  const reason = secretRebindReason(saved, next);
  if (reason === undefined) return;
  const label = secretLabel(next.auth.kind) ?? secretLabel(saved.auth.kind) ?? 'secret';
  throw new AppError(
    'invalid_request',
    `You changed ${reason} of "${saved.name}", so enter the ${label} again: a stored ${label} is only sent where it was entered for.`,
    { fields: ['secret'], nextStep: `Type the ${label} into its field, then save or test again.` },
  );
}
