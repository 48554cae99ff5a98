/**
 * Stable handles for groups in an apply run: a group that exists is known by its SCIM id; a group
 * the plan creates is known by `g:<display, lower-cased and escaped>`, which is both its Bulk
 * `bulkId` and the middle of its op ids. The escaping keeps the handle safe inside a Bulk `path`
 * (`/Groups/bulkId:g:…`) and a `bulkId:` reference, and is injective, so two different names never
 * share a handle.
 */

/** Escapes everything but `[a-z0-9.-]` as `_<hex code point>_` (so `_` itself is escaped too). */
function escapeHandle(text: string): string {
  let out = '';
  for (const ch of text) {
    out += /^[a-z0-9.-]$/.test(ch) ? ch : `_${(ch.codePointAt(0) ?? 0).toString(16)}_`;
  }
  return out;
}

/** The bulkId of a group the run creates: `g:<display lower, escaped>`. */
export function newGroupBulkId(display: string): string {
  return `g:${escapeHandle(display.normalize('NFC').toLowerCase())}`;
}

/** The bulkId of the create of plan row `seq`: `s<seq>`. */
export function rowBulkId(seq: number): string {
  return `s${seq}`;
}

/** A `bulkId:` reference to a resource created in the same run. */
export function bulkRef(bulkId: string): string {
  return `bulkId:${bulkId}`;
}
