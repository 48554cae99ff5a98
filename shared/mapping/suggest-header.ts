/**
 * What one CSV header could be, with a score: its own SCIM path (1.0), a synonym of the whole
 * header (0.9), of the header without bracketed notes such as `[Required]` (0.85), of a bracketed
 * property name such as Entra's `[givenName]` (0.8), a near-miss spelling of a synonym (0.6), or a
 * guess from the sample values (0.45).
 */
import type { ColumnProfile } from './samples';
import { synonymIndex, type HeaderRole } from './synonyms';
import { resolveTarget, type TargetContext } from './targets';
import { compactHeader, levenshtein } from './text';

/** One thing a header could be. */
export type HeaderCandidate = { role: HeaderRole; score: number; why: string };

const BRACKETS_RE = /\[([^\]]*)\]|\(([^)]*)\)/g;
/** Notes that templates append to headers. */
const NOTES_RE = /\b(required|optional|upload only|must be in the e\.?164 format)\b/gi;

/** The header without bracketed parts and template notes, and the bracketed parts. */
function headerParts(header: string): { outside: string; inside: string[] } {
  const inside: string[] = [];
  const outside = header
    .replace(BRACKETS_RE, (_m, square: string | undefined, round: string | undefined) => {
      const text = (square ?? round ?? '').trim();
      if (text !== '') inside.push(text);
      return ' ';
    })
    .replace(NOTES_RE, ' ')
    .trim();
  return { outside, inside };
}

/** Candidates for a header, best first. */
export function headerCandidates(
  header: string,
  profile: ColumnProfile,
  ctx: TargetContext,
  canonical: ReadonlyMap<string, string> = new Map(),
): HeaderCandidate[] {
  const out: HeaderCandidate[] = [];
  const exact = exactPath(header, ctx, canonical);
  if (exact) out.push(exact);
  const index = synonymIndex(ctx.resourceType);
  const { outside, inside } = headerParts(header);
  const forms: [string, number, string][] = [
    [header, 0.9, `"${header}" is a usual name for it`],
    [outside, 0.85, `"${outside}" is a usual name for it`],
    ...inside.map((i): [string, number, string] => [i, 0.8, `the header names "${i}"`]),
  ];
  for (const [text, score, why] of forms) {
    const role = index.get(compactHeader(text));
    if (role) out.push({ role, score, why });
  }
  if (out.length === 0) {
    const fuzzy = nearMiss(compactHeader(outside || header), index);
    if (fuzzy) out.push(fuzzy);
  }
  out.push(...valueGuesses(profile, ctx));
  return out
    .map((c) => adjustForValues(c, profile))
    .filter((c) => c.role.kind !== 'attribute' || resolveTarget(c.role.target, ctx).ok)
    .sort((a, b) => b.score - a.score);
}

/**
 * The header as a SCIM path of the resource type (`title`, `name.givenName`, `urn:…`), written as
 * in `canonical` (lower-cased path → schema spelling) when listed there.
 */
function exactPath(
  header: string,
  ctx: TargetContext,
  canonical: ReadonlyMap<string, string>,
): HeaderCandidate | undefined {
  if (/\s/.test(header.trim())) return undefined;
  if (header.trim().toLowerCase() === 'active' && ctx.resourceType === 'User') {
    return {
      role: { kind: 'active', inverted: false },
      score: 1,
      why: 'the header is the SCIM attribute "active"',
    };
  }
  const r = resolveTarget(header, ctx);
  if (!r.ok) return undefined;
  return {
    role: {
      kind: 'attribute',
      target: canonical.get(header.trim().toLowerCase()) ?? r.target.column.header,
    },
    score: 1,
    why: 'the header is a SCIM attribute path',
  };
}

/** A synonym one or two edits away (long names only). */
function nearMiss(
  compact: string,
  index: ReadonlyMap<string, HeaderRole>,
): HeaderCandidate | undefined {
  if (compact.length < 6) return undefined;
  const limit = compact.length >= 10 ? 2 : 1;
  let best: { name: string; role: HeaderRole; d: number } | undefined;
  for (const [name, role] of index) {
    if (Math.abs(name.length - compact.length) > limit || name.length < 5) continue;
    const d = levenshtein(compact, name);
    if (d <= limit && (!best || d < best.d)) best = { name, role, d };
  }
  return best
    ? { role: best.role, score: 0.6, why: `the header looks like a misspelling of "${best.name}"` }
    : undefined;
}

/** Guesses from the values alone, for headers that say nothing. */
function valueGuesses(profile: ColumnProfile, ctx: TargetContext): HeaderCandidate[] {
  if (profile.count === 0 || ctx.resourceType !== 'User') return [];
  const out: HeaderCandidate[] = [];
  if (profile.email >= 0.8) {
    out.push({
      role: { kind: 'attribute', target: 'emails[type eq "work"].value' },
      score: 0.45,
      why: 'the values look like email addresses',
    });
  }
  if (profile.status >= 0.9 && profile.digits < 0.5) {
    out.push({
      role: { kind: 'active', inverted: false },
      score: 0.45,
      why: 'the values are status words',
    });
  }
  return out;
}

/** `title` columns that hold honorifics (`Mr`, `Dr`) are `name.honorificPrefix`. */
function adjustForValues(c: HeaderCandidate, profile: ColumnProfile): HeaderCandidate {
  if (c.role.kind === 'attribute' && c.role.target === 'title' && profile.honorific >= 0.8) {
    return {
      role: { kind: 'attribute', target: 'name.honorificPrefix' },
      score: c.score,
      why: `${c.why}, and the values are honorifics (Mr, Dr, …)`,
    };
  }
  return c;
}
