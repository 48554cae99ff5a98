/**
 * Scrubs secrets from anything that may end up in a log line, an error payload, a report or the
 * UI: header maps, URLs, free text (raw server answers) and JSON-ish values.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are always secret. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
]);

/**
 * Object keys whose values are secret, compared case-insensitively without `-`/`_`. `tokenUrl`
 * and similar end in "url" and stay readable; see {@link isSecretKey}.
 */
const SECRET_KEY =
  /(authorization|cookie|password|passwd|passphrase|secret|token|apikey|privatekey|credential)/i;

/** True for keys like `password`, `client_secret`, `access_token`, `apiKey` (not `tokenUrl`). */
export function isSecretKey(key: string): boolean {
  const k = key.replace(/[-_\s]/g, '');
  if (/(url|uri|type|endpoint|expiresin|kind|label)$/i.test(k)) return false;
  return SECRET_KEY.test(k);
}

/** Query parameters that carry secrets in URLs (OAuth, signed URLs, API keys). */
const SECRET_QUERY =
  /^(access_token|token|id_token|refresh_token|code|client_secret|password|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

const TEXT_RULES: [RegExp, string][] = [
  // Authorization / Proxy-Authorization header lines: everything after the colon.
  [/\b((?:Proxy-)?Authorization\s*:\s*)[^\r\n]+/gi, `$1${REDACTED}`],
  // Bare scheme credentials. The value must look like a credential (a digit or symbol inside
  // it, or 16+ letters) so prose such as "invalid bearer token." stays readable.
  [
    /\b(Bearer|Basic|Digest|Negotiate|Token)\s+(?=[A-Za-z]*[0-9\-_~+/=.][A-Za-z0-9\-._~+/=]*[A-Za-z0-9=]|[A-Za-z]{16,})[A-Za-z0-9\-._~+/=]{4,}/gi,
    `$1 ${REDACTED}`,
  ],
  // Cookie headers: everything up to the end of the line.
  [/\b(Set-Cookie|Cookie)(\s*[:=]\s*)[^\r\n]+/gi, `$1$2${REDACTED}`],
  // JSON members with secret names: "password": "…", "client_secret":"…".
  [
    /("(?:[A-Za-z_-]*(?:password|passwd|secret|token|api[_-]?key|credential)[A-Za-z_-]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
  // Form / query pairs: access_token=…&, client_secret=…, password=….
  [
    /\b((?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey|token)=)[^&\s"'<>]+/gi,
    `$1${REDACTED}`,
  ],
  // JWTs anywhere (three base64url segments, the first two starting with eyJ).
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Scrubs well-known secret shapes from free text. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Removes user:password and secret-looking query values from a URL; keeps everything else readable. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactText(url);
  }
  u.username = '';
  u.password = '';
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) u.searchParams.set(name, REDACTED);
  }
  return u.toString();
}

export type Redactor = {
  /** Scrubs secret shapes and every known secret value from text. */
  text(text: string): string;
  /** Copy of a header map with secret headers (and any extra names) replaced. */
  headers(headers: Record<string, string | string[] | undefined>): Record<string, string>;
  /** Deep copy of a JSON-ish value with secret keys replaced and strings scrubbed. */
  value(value: unknown): unknown;
  /** Scrubs a URL (userinfo, secret query values, known secrets). */
  url(url: string): string;
  /** Adds a secret learnt at run time (e.g. an OAuth access token) to the literal values scrubbed. */
  remember(secret: string): void;
};

type RedactorOptions = {
  /** Literal secret values (tokens, passwords) to scrub wherever they appear, even in odd places. */
  secrets?: readonly string[];
  /** Extra header names that carry secrets (e.g. a custom API-key header). */
  secretHeaders?: readonly string[];
};

/**
 * Builds a redactor that knows this connection's secrets. Literal values shorter than 4 characters
 * are not scrubbed by value (they would mangle ordinary text); their shapes still are.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const literals = new Set<string>();
  let literalPattern: RegExp | undefined;
  const add = (s: string): void => {
    if (s.length < 4) return;
    const forms = [
      s,
      encodeURIComponent(s),
      Buffer.from(s, 'utf8').toString('base64'),
      JSON.stringify(s).slice(1, -1),
    ];
    for (const form of forms) {
      literals.add(form);
      // JSON writers that escape the solidus (PHP's json_encode, some Java ones) echo `/` as `\/`.
      if (form.includes('/')) literals.add(form.replace(/\//g, '\\/'));
    }
  };
  const rebuild = (): void => {
    literalPattern =
      literals.size > 0
        ? new RegExp(
            [...literals]
              .sort((a, b) => b.length - a.length)
              .map(escapeRegExp)
              .join('|'),
            'g',
          )
        : undefined;
  };
  for (const s of options.secrets ?? []) add(s);
  rebuild();
  const headerNames = new Set([
    ...SECRET_HEADERS,
    ...(options.secretHeaders ?? []).map((h) => h.toLowerCase()),
  ]);

  const text = (t: string): string => {
    const scrubbed = literalPattern ? t.replace(literalPattern, REDACTED) : t;
    return redactText(scrubbed);
  };

  const value = (v: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth > 20 || seen.has(v)) return '[…]';
    seen.add(v);
    if (v instanceof Error) {
      return { name: v.name, message: text(v.message) };
    }
    if (Array.isArray(v)) return v.map((item: unknown) => value(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      out[k] =
        isSecretKey(k) || headerNames.has(k.toLowerCase())
          ? item === undefined || item === null || item === ''
            ? item
            : REDACTED
          : value(item, depth + 1, seen);
    }
    return out;
  };

  return {
    text,
    url: (u) => text(redactUrl(u)),
    headers(h) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(h)) {
        if (v === undefined) continue;
        const joined = Array.isArray(v) ? v.join(', ') : v;
        out[k] = headerNames.has(k.toLowerCase()) ? REDACTED : text(joined);
      }
      return out;
    },
    value: (v) => value(v),
    remember(secret) {
      if (secret.length < 4 || literals.has(secret)) return;
      add(secret);
      rebuild();
    },
  };
}

/** A redactor with no connection-specific secrets: shapes only. */
export const defaultRedactor: Redactor = createRedactor();
