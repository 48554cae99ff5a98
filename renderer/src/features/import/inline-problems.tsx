import type { MappingProblem } from '../../../../shared/mapping/errors';

/** Mapping problems shown next to the part of the editor their path names. */
export function InlineProblems({ id, problems }: { id: string; problems: MappingProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="import-inline-problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={`${p.path}-${i}`}>
          <code>{p.path}</code>: {p.message}
        </li>
      ))}
    </ul>
  );
}
