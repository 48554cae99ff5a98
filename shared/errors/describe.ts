import type { ErrorCode, ErrorPayload } from './payload';
import { assertNever } from '../util/assert-never';

/** Default next step per code, used when the thrower did not give a more specific one. */
function defaultNextStep(code: ErrorCode): string {
  switch (code) {
    case 'invalid_url':
      return 'Check the base URL: it must start with https:// (or http:// for a local server) and point at the SCIM root.';
    case 'network':
      return 'Check the host name, your network or VPN, and any proxy setting, then try again.';
    case 'tls':
      return "Check the server's certificate; for a private CA add its certificate to the connection.";
    case 'timeout':
      return 'The server may be overloaded: try again, or raise the timeout in the connection settings.';
    case 'auth':
      return 'Check the token or credentials and that they grant SCIM access.';
    case 'scim_http':
      return 'Read the server answer below; fix the request or the data it names and try again.';
    case 'not_scim':
      return 'Check the base URL points at the SCIM endpoint (often ending in /scim/v2), not a web page.';
    case 'rate_limited':
      return 'The server is throttling requests; lower the request rate or wait and resume.';
    case 'outcome_unknown':
      return 'Look the resource up by the key shown before retrying, so nothing is created twice.';
    case 'precondition_failed':
      return 'The resource changed on the server since it was read; re-read it and plan again.';
    case 'bulk_rejected':
      return 'Turn off Bulk for this connection; SCIM Porter will send single requests instead.';
    case 'not_found':
      return 'It may have been deleted already; refresh and plan again.';
    case 'invalid_request':
      return 'Correct the highlighted fields and try again.';
    case 'invalid_filter':
      return 'Correct the filter; string values must be in double quotes, e.g. userName eq "ada@example.com".';
    case 'incomplete_read':
      return "Nothing was changed. Use per-row look-ups (--lookup per-row) where the server's eq filter works, or ask the vendor to fix its paging.";
    case 'read_mismatch':
      return 'Nothing was changed for this resource. Try again later; if it persists, report it to the server vendor.';
    case 'config':
      return 'Correct the setting named above.';
    case 'input':
      return 'Fix the file at the place named above (or export it again), then load it again.';
    case 'secret_unavailable':
      return 'Enter the secret again, or set the environment variable named above.';
    case 'cancelled':
      return 'Start it again when ready.';
    case 'internal':
      return 'Try again; if it keeps happening, report it with the detail below.';
    default:
      return assertNever(code, 'error code');
  }
}

/** What the UI and CLI show: one sentence, a next step, and the raw answer on demand. */
export function describeError(p: ErrorPayload): {
  sentence: string;
  nextStep: string;
  raw?: string;
} {
  const bits: string[] = [p.message];
  // Add the status, scimType and detail the message does not already say (no "(HTTP 401)" twice).
  const scimBits = [p.status ? `HTTP ${p.status}` : '', p.scimType ?? '', p.detail ?? '']
    .filter((b) => b && !p.message.includes(b))
    .join(' · ');
  if (scimBits) bits.push(`(${scimBits})`);
  const raw = p.raw ?? undefined;
  return {
    sentence: bits.join(' '),
    nextStep: p.nextStep ?? defaultNextStep(p.code),
    ...(raw !== undefined ? { raw } : {}),
  };
}
