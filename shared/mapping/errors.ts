/**
 * The error a mapping spec raises when it cannot be read or compiled: every problem at once, each
 * named by its JSON path in the spec (`attributes[2].source.column`), so the admin fixes them all
 * in one go.
 */
import { AppError } from '../errors/errors';

/** One problem in a mapping spec. */
export type MappingProblem = {
  /** JSON path in the spec, e.g. `attributes[2].transforms[0].pattern`; `(spec)` for the root. */
  path: string;
  /** One sentence naming the problem. */
  message: string;
};

/** A mapping spec that is not valid JSON for the format, or does not fit the CSV or the server. */
export class MappingError extends AppError {
  readonly problems: readonly MappingProblem[];
  constructor(problems: readonly MappingProblem[], file?: string) {
    const where = file ? `The mapping ${file}` : 'The mapping';
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    super('config', `${where} has ${count}: ${list}`, {
      nextStep: 'Correct the mapping at the places named and try again.',
      fields: problems.map((p) => p.path),
    });
    this.name = 'MappingError';
    this.problems = problems;
  }
}

/** A JSON path from path segments: `attributes[2].source.column`; `(spec)` when empty. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out || '(spec)';
}
