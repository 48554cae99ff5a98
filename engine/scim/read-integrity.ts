/**
 * Read integrity: whether a list read everything the server holds, judged from what the server
 * did rather than from what it said. A short read is "incomplete", never "complete": the server
 * counted more than it listed, repeated its first page (startIndex ignored), or kept returning
 * the same cursor page. A server that counted fewer than it listed is followed to an empty page
 * and reported (`countUnderstated`), because its totalResults cannot end a list.
 */
import { AppError } from '../../shared/errors/errors';

export type IncompleteCause = 'start_index_ignored' | 'count_overstated' | 'changed' | 'same_page';

export type ReadIntegrity =
  | { complete: true; listed: number; counted?: number; countUnderstated?: number }
  | {
      complete: false;
      cause: IncompleteCause;
      listed: number;
      counted?: number;
      /** Resources that may exist but were not read (a lower bound when the count is unknown). */
      missing: number;
      /** One sentence naming the real cause. */
      sentence: string;
    };

/** What a finished list saw. */
type ReadFacts = {
  listed: number;
  totalFirst?: number;
  totalLast?: number;
  /** Why paging stopped (see paging.ts / fast-list.ts). */
  stoppedBecause?: string;
  /** The list changed under the read (drift or shifted page boundaries). */
  changed?: boolean;
  /** Resources the read may have missed by its own account (fast list), when larger. */
  possiblyMissing?: number;
};

/** True for a stop that means "later pages repeated earlier ones". */
function isStallStop(stoppedBecause: string | undefined): boolean {
  return stoppedBecause?.includes('startIndex ignored') === true;
}

function sentenceFor(cause: IncompleteCause, f: ReadFacts, missing: number): string {
  const counted = f.totalLast;
  const of = counted !== undefined ? ` of ${counted}` : '';
  switch (cause) {
    case 'start_index_ignored':
      return `The server does not honour startIndex: its later pages repeated the first, so only ${f.listed}${of} resources could be read${counted !== undefined ? ` and ${missing} may be missing` : ''}.`;
    case 'same_page':
      return `The server kept returning the same cursor page, so only ${f.listed}${of} resources could be read.`;
    case 'changed':
      return `The server changed while it was read (totalResults went from ${f.totalFirst ?? '?'} to ${counted ?? '?'}): ${missing} resources may be missing.`;
    case 'count_overstated':
      return `The server counted ${counted ?? '?'} resources (totalResults) but listed only ${f.listed}, with no sign of change while it was read: ${missing} may be missing.`;
  }
}

/** Judges a finished read; see the module comment. */
export function judgeRead(f: ReadFacts): ReadIntegrity {
  const counted = f.totalLast;
  const shortfall = counted !== undefined ? Math.max(0, counted - f.listed) : 0;
  const missing = Math.max(shortfall, f.possiblyMissing ?? 0);
  const base = { listed: f.listed, ...(counted !== undefined ? { counted } : {}) };
  let cause: IncompleteCause | undefined;
  if (f.stoppedBecause === 'item limit reached') cause = undefined;
  else if (isStallStop(f.stoppedBecause)) cause = 'start_index_ignored';
  else if (f.stoppedBecause === 'the server kept returning the same page') cause = 'same_page';
  else if (missing > 0) {
    const drifted = f.changed === true || (f.totalFirst !== undefined && f.totalFirst !== counted);
    cause = drifted ? 'changed' : 'count_overstated';
  }
  if (cause === undefined) {
    const over = counted !== undefined && f.listed > counted ? f.listed - counted : 0;
    return { complete: true, ...base, ...(over > 0 ? { countUnderstated: over } : {}) };
  }
  return { complete: false, cause, ...base, missing, sentence: sentenceFor(cause, f, missing) };
}

/** The warning for a read that went past an understated totalResults, if it did. */
export function understatedWarning(v: ReadIntegrity): string | undefined {
  if (!v.complete || v.countUnderstated === undefined) return undefined;
  return `The server's totalResults (${v.counted ?? '?'}) is smaller than what it listed (${v.listed}); the list was followed to an empty page instead.`;
}

/**
 * The typed error for a read that may be incomplete: the cause, what it blocks, and the way out.
 * `perRowWorks`: the server's eq filter was seen working, so per-row look-ups are a way out.
 */
export function incompleteReadError(
  v: ReadIntegrity & { complete: false },
  what: string,
  perRowWorks: boolean,
): AppError {
  const wayOut = perRowWorks
    ? "Plan with per-row look-ups instead (--lookup per-row): the server's eq filter was seen working."
    : v.cause === 'changed'
      ? 'Try again when the server is quiet.'
      : "Ask the server's vendor to fix its paging; SCIM Porter will not act on a partial read.";
  return new AppError(
    'incomplete_read',
    `${v.sentence} ${what} stopped: it needs a complete read.`,
    {
      nextStep: wayOut,
    },
  );
}
