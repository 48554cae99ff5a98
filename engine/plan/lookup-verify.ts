/**
 * Per-row look-ups trust the server's eq filter only as far as its answers bear it out: every
 * account a look-up returns must match the filter it was asked with (checked locally), else the
 * server answered for someone else (a filter ignored now and then) and the plan stops with a
 * sentence instead of comparing a row with the wrong account.
 */
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { AppError } from '../../shared/errors/errors';
import type { ScimFilter } from '../../shared/scim/filter';
import type { ScimResource } from '../../shared/scim/types';

function who(r: ScimResource): string {
  const name = r['userName'];
  return typeof name === 'string' ? name : (r.id ?? '?');
}

/** The hits of one look-up, after checking each against `filter`; throws on a wrong answer. */
export function verifyLookupHits(filter: ScimFilter, hits: ScimResource[]): ScimResource[] {
  let matches: (r: ScimResource) => boolean;
  try {
    const compiled = compileFilter(parseFilter(filter.text));
    matches = (r) => compiled(r);
  } catch {
    return hits; // a filter the local evaluator cannot read: the server's answer stands
  }
  const wrong = hits.find((r) => !matches(r));
  if (wrong === undefined) return hits;
  throw new AppError(
    'read_mismatch',
    `The look-up ${filter.text} answered an account that does not match it (${who(wrong)}); planning stopped so no row is compared with the wrong account.`,
    { nextStep: 'Plan with the default snapshot look-up (the server is read once in full).' },
  );
}
