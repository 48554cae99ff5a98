import { AppError } from '../../../shared/errors/errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when the host is this machine, where plain http is reasonable (local sandbox, dev servers). */
function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * True when the URL is plain http to a host other than this machine. Such URLs are accepted (some
 * internal servers still run without TLS), but the caller must warn: credentials travel in clear text.
 */
export function isInsecureRemoteUrl(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
}

function invalid(sentence: string, raw: string): AppError {
  return new AppError('invalid_url', sentence, { raw: raw.slice(0, 300) });
}

/**
 * Normalises a SCIM base URL as typed by an admin: trims it, requires http(s), rejects user:password
 * in the URL (credentials belong in the secret store, not in a URL that ends up in logs), and strips
 * the query, fragment and trailing slashes so paths like `/Users` can be appended (RFC 7644 §3.13:
 * endpoints are relative to the base URI).
 *
 * http:// is allowed for any host; callers should warn with {@link isInsecureRemoteUrl}.
 *
 * @throws AppError `invalid_url` with a sentence naming what is wrong.
 */
export function normaliseBaseUrl(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) throw invalid('The base URL is empty.', input);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw invalid(
      `The base URL "${trimmed}" has no scheme; it must start with https:// (or http:// for a local server).`,
      input,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch (e) {
    throw new AppError(
      'invalid_url',
      `The base URL "${trimmed}" is not a valid URL.`,
      {},
      { cause: e },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(
      `The base URL uses "${url.protocol.slice(0, -1)}", but SCIM runs over https:// (or http:// for a local server).`,
      url.protocol,
    );
  }
  if (url.username || url.password) {
    throw invalid(
      'The base URL contains a user name or password; enter credentials in the authentication settings instead.',
      `${url.protocol}//${url.host}`,
    );
  }
  if (!url.hostname) throw invalid(`The base URL "${trimmed}" has no host name.`, input);
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * The base URLs discovery should try, in order: the URL as typed (normalised), then with `/v2`
 * appended when it does not end in `/v2`, or without the trailing `/v2` when it does. Admins often
 * paste `/scim` where the server lives at `/scim/v2` and vice versa (see docs/scim-client-rules.md,
 * "Base URL variants").
 */
export function baseUrlCandidates(url: string): string[] {
  const base = normaliseBaseUrl(url);
  const out = [base];
  if (/\/v2$/i.test(base)) {
    const without = base.replace(/\/v2$/i, '');
    // Stripping /v2 from "https://host/v2" leaves the origin, which is still a valid base.
    out.push(without);
  } else {
    out.push(`${base}/v2`);
  }
  return out;
}
