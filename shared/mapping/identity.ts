/**
 * The identity mapping (`"identity": true`): a SCIM Porter export's headers are column paths, so
 * each maps to itself. Headers that cannot be imported are skipped with a reason rather than
 * failing the mapping: `id` (the server assigns it), `password` (never imported by default),
 * read-only attributes, and headers that are not column paths or name unknown attributes.
 */
import { resolveTarget, type ResolvedTarget, type TargetContext } from './targets';

/** What the identity mapping makes of a file's headers. */
type IdentityColumns = {
  /** Headers mapped to themselves, with their index. */
  mapped: { index: number; header: string; target: ResolvedTarget }[];
  /** The `groups` header, when there is one. */
  groupsHeader?: string;
  /** Headers skipped, and why. */
  ignored: { column: string; reason: string }[];
};

/** Applies the identity mapping to `headers`. */
export function identityColumns(headers: readonly string[], ctx: TargetContext): IdentityColumns {
  const out: IdentityColumns = { mapped: [], ignored: [] };
  headers.forEach((header, index) => {
    const lower = header.trim().toLowerCase();
    if (lower === 'id') {
      out.ignored.push({ column: header, reason: 'the server assigns ids' });
      return;
    }
    if (lower === 'password' || lower.endsWith(':password')) {
      out.ignored.push({ column: header, reason: 'passwords are never imported by default' });
      return;
    }
    if (lower === 'groups' && ctx.resourceType === 'User') {
      out.groupsHeader ??= header;
      return;
    }
    const r = resolveTarget(header, ctx);
    if (r.ok) out.mapped.push({ index, header, target: r.target });
    else out.ignored.push({ column: header, reason: r.reason });
  });
  return out;
}
