/**
 * Suggestion confidence that agrees with the values: a header that names a target ("Employee
 * ID", "Email") is not enough when the column's sample values do not look like that target
 * (logins offered as employee numbers, names offered as emails). Such a suggestion keeps its
 * target but its score drops to at most {@link DOUBTFUL_SCORE}, and the reason says why.
 */
import type { ColumnProfile } from './samples';

/** The highest score a suggestion whose values contradict its target can have. */
export const DOUBTFUL_SCORE = 0.4;

/** Below this share of matching sample values, the values contradict the target. */
const ENOUGH = 0.5;

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** Whether the target holds email addresses or employee numbers (the checkable kinds). */
function kindOf(target: string): 'email' | 'employeeNumber' | undefined {
  const t = target.toLowerCase();
  if (/^emails(\[|\.|$)/.test(t) || t.endsWith(':email') || t.endsWith('.email')) return 'email';
  if (t.endsWith('employeenumber')) return 'employeeNumber';
  return undefined;
}

/** The score and reason for mapping a column with `profile` to `target`, made honest. */
export function honestConfidence(
  target: string,
  profile: ColumnProfile,
  score: number,
  why: string,
): { score: number; why: string } {
  const kind = kindOf(target);
  if (!kind || profile.count === 0) return { score, why };
  if (kind === 'email' && profile.email < ENOUGH) {
    return {
      score: Math.min(score, DOUBTFUL_SCORE),
      why: `${why}, but only ${percent(profile.email)} of its sample values are email addresses`,
    };
  }
  if (kind === 'employeeNumber') {
    const ids = Math.max(profile.idLike, profile.digits);
    if (profile.email >= ENOUGH || ids < ENOUGH) {
      const looks = profile.email >= ENOUGH ? 'email addresses' : 'logins or names';
      return {
        score: Math.min(score, DOUBTFUL_SCORE),
        why: `${why}, but its sample values look like ${looks}, not employee numbers (${percent(ids)} look like ids)`,
      };
    }
  }
  return { score, why };
}
