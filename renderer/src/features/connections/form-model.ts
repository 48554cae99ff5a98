import {
  DEFAULT_ENVIRONMENT_COLOURS,
  environmentOf,
  type EnvironmentLabel,
} from '../../../../shared/connections/environment';
import type {
  AuthSettings,
  ConnectionSettingsInput,
  ConnectionSummary,
} from '../../../../shared/connections/profile';

export type AuthKind = AuthSettings['kind'];

/** Labels shown for each auth kind (list and form). */
export const AUTH_LABELS: Record<AuthKind, string> = {
  bearer: 'Bearer token',
  basic: 'Basic (user name + password)',
  oauth2: 'OAuth 2.0 client credentials',
  header: 'Custom header',
  none: 'None',
};

/** What the secret field holds for each auth kind; undefined when the kind has no secret. */
export const SECRET_LABELS: Record<AuthKind, string | undefined> = {
  bearer: 'Token',
  basic: 'Password',
  oauth2: 'Client secret',
  header: 'Header value',
  none: undefined,
};

/** The form's state: strings as typed, converted to settings only on save or test. */
export type FormDraft = {
  name: string;
  baseUrl: string;
  authKind: AuthKind;
  username: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
  credentialsInBody: boolean;
  headerName: string;
  secret: string;
  caCertsPem: string;
  proxyUrl: string;
  timeoutSeconds: string;
  maxConcurrency: string;
  maxRequestsPerSecond: string;
  bulk: 'auto' | 'never';
  verifyTls: boolean;
  envLabel: EnvironmentLabel;
  envColour: string;
};

export type FormField = keyof FormDraft;
export type FormErrors = Partial<Record<FormField, string>>;

export function emptyDraft(): FormDraft {
  return {
    name: '',
    baseUrl: '',
    authKind: 'bearer',
    username: '',
    tokenUrl: '',
    clientId: '',
    scope: '',
    credentialsInBody: false,
    headerName: '',
    secret: '',
    caCertsPem: '',
    proxyUrl: '',
    timeoutSeconds: '30',
    maxConcurrency: '8',
    maxRequestsPerSecond: '',
    bulk: 'auto',
    verifyTls: true,
    envLabel: 'other',
    envColour: DEFAULT_ENVIRONMENT_COLOURS.other,
  };
}

/** Fills the form from a saved profile. The secret is never known here: it stays blank. */
export function draftFromSummary(c: ConnectionSummary): FormDraft {
  const auth = c.auth;
  return {
    ...emptyDraft(),
    name: c.name,
    baseUrl: c.baseUrl,
    authKind: auth.kind,
    username: auth.kind === 'basic' ? auth.username : '',
    tokenUrl: auth.kind === 'oauth2' ? auth.tokenUrl : '',
    clientId: auth.kind === 'oauth2' ? auth.clientId : '',
    scope: auth.kind === 'oauth2' ? (auth.scope ?? '') : '',
    credentialsInBody: auth.kind === 'oauth2' ? (auth.credentialsInBody ?? false) : false,
    headerName: auth.kind === 'header' ? auth.name : '',
    caCertsPem: (c.tls.caCertsPem ?? []).join('\n'),
    proxyUrl: c.proxyUrl ?? '',
    timeoutSeconds: String(Math.round(c.timeoutMs / 1000)),
    maxConcurrency: String(c.maxConcurrency),
    maxRequestsPerSecond:
      c.maxRequestsPerSecond !== undefined ? String(c.maxRequestsPerSecond) : '',
    bulk: c.bulk,
    verifyTls: c.tls.verify,
    envLabel: environmentOf(c).label,
    envColour: environmentOf(c).colour,
  };
}

/** Splits pasted PEM text into one string per certificate. */
function splitPem(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  return blocks ?? [];
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function buildAuth(d: FormDraft, errors: FormErrors): AuthSettings {
  switch (d.authKind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer' };
    case 'basic':
      if (!d.username.trim()) errors.username = 'Enter the user name.';
      return { kind: 'basic', username: d.username.trim() };
    case 'oauth2':
      if (!isHttpUrl(d.tokenUrl.trim()))
        errors.tokenUrl = 'Enter the token endpoint URL (https://…).';
      if (!d.clientId.trim()) errors.clientId = 'Enter the client ID.';
      return {
        kind: 'oauth2',
        tokenUrl: d.tokenUrl.trim(),
        clientId: d.clientId.trim(),
        ...(d.scope.trim() ? { scope: d.scope.trim() } : {}),
        ...(d.credentialsInBody ? { credentialsInBody: true } : {}),
      };
    case 'header':
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(d.headerName.trim())) {
        errors.headerName = 'Enter a valid HTTP header name, e.g. X-API-Key.';
      }
      return { kind: 'header', name: d.headerName.trim() };
  }
}

function parseNumber(
  raw: string,
  field: FormField,
  range: { min: number; max: number; integer: boolean },
  errors: FormErrors,
): number | undefined {
  const value = Number(raw.trim());
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < range.min ||
    value > range.max ||
    (range.integer && !Number.isInteger(value))
  ) {
    errors[field] =
      `Enter ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}.`;
    return undefined;
  }
  return value;
}

/**
 * Checks the draft the way the engine will and builds the settings to send. The engine
 * validates again; this only lets the form point at fields before a round trip.
 */
export function draftToSettings(d: FormDraft): {
  settings: ConnectionSettingsInput;
  errors: FormErrors;
} {
  const errors: FormErrors = {};
  if (!d.name.trim()) errors.name = 'Enter a name.';
  if (!isHttpUrl(d.baseUrl.trim())) {
    errors.baseUrl =
      'Enter the SCIM base URL, starting with https:// (or http:// for a local server).';
  }
  if (d.proxyUrl.trim() && !isHttpUrl(d.proxyUrl.trim()))
    errors.proxyUrl = 'Enter the proxy as http://host:port.';
  const pems = splitPem(d.caCertsPem);
  if (d.caCertsPem.trim() && pems.length === 0) {
    errors.caCertsPem = 'Paste certificates in PEM form (-----BEGIN CERTIFICATE----- …).';
  }
  const timeout = parseNumber(
    d.timeoutSeconds,
    'timeoutSeconds',
    { min: 1, max: 600, integer: true },
    errors,
  );
  const concurrency = parseNumber(
    d.maxConcurrency,
    'maxConcurrency',
    { min: 1, max: 64, integer: true },
    errors,
  );
  const rate = d.maxRequestsPerSecond.trim()
    ? parseNumber(
        d.maxRequestsPerSecond,
        'maxRequestsPerSecond',
        { min: 0.1, max: 10_000, integer: false },
        errors,
      )
    : undefined;
  const settings: ConnectionSettingsInput = {
    name: d.name.trim(),
    baseUrl: d.baseUrl.trim(),
    auth: buildAuth(d, errors),
    tls: { verify: d.verifyTls, ...(pems.length ? { caCertsPem: pems } : {}) },
    ...(d.proxyUrl.trim() ? { proxyUrl: d.proxyUrl.trim() } : {}),
    timeoutMs: (timeout ?? 30) * 1000,
    maxConcurrency: concurrency ?? 8,
    ...(rate !== undefined ? { maxRequestsPerSecond: rate } : {}),
    bulk: d.bulk,
    environment: {
      label: d.envLabel,
      colour: /^#[0-9a-fA-F]{6}$/.test(d.envColour)
        ? d.envColour
        : DEFAULT_ENVIRONMENT_COLOURS[d.envLabel],
    },
  };
  return { settings, errors };
}

/** Maps the engine's invalid_request field paths (`settings.auth.username`) onto form fields. */
export function formFieldForPath(path: string): FormField | undefined {
  const p = path.replace(/^settings\./, '');
  const table: Record<string, FormField> = {
    name: 'name',
    baseUrl: 'baseUrl',
    'auth.username': 'username',
    'auth.tokenUrl': 'tokenUrl',
    'auth.clientId': 'clientId',
    'auth.scope': 'scope',
    'auth.name': 'headerName',
    'tls.caCertsPem': 'caCertsPem',
    proxyUrl: 'proxyUrl',
    timeoutMs: 'timeoutSeconds',
    maxConcurrency: 'maxConcurrency',
    maxRequestsPerSecond: 'maxRequestsPerSecond',
    secret: 'secret',
  };
  return table[p] ?? (p.startsWith('tls.caCertsPem') ? 'caCertsPem' : undefined);
}
