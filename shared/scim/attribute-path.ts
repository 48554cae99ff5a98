/**
 * SCIM attribute paths (RFC 7644 §3.10 and the filter ABNF in §3.4.2.2, Figure 1):
 *
 *   ATTRNAME = ALPHA *(nameChar);  nameChar = "-" / "_" / DIGIT / ALPHA
 *   attrPath = [URI ":"] ATTRNAME *1subAttr;  subAttr = "." ATTRNAME
 *   PATCH path = attrPath / valuePath [subAttr]   (§3.5.2)
 *
 * Pure parsing: no I/O, used by the filter builder, PATCH validation and read normalisation.
 */

/** A parsed `attrPath`: optional schema URN, attribute name and optional sub-attribute. */
type AttrPath = {
  /** Schema URN prefix, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  uri?: string;
  attr: string;
  subAttr?: string;
};

/** A parsed PATCH `path` (RFC 7644 §3.5.2): an attrPath, or `attr[filter]` with an optional `.sub`. */
type PatchPath = AttrPath & {
  /** The value filter between the brackets, unparsed (validated by the engine's filter parser). */
  valueFilter?: string;
};

const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
// An RFC 8141-style URN: "urn:" NID ":" NSS, where NSS may itself contain ":" and ".".
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$/i;

/** True when `name` is a valid ATTRNAME. */
export function isAttrName(name: string): boolean {
  return ATTRNAME.test(name);
}

/**
 * Splits `uri:attr.sub` into parts. A URN prefix ends at the last ":" (URNs contain dots, as in
 * `…:enterprise:2.0:User`, but attribute names never contain ":"). Returns a reason when invalid.
 */
export function parseAttrPath(
  text: string,
): { ok: true; path: AttrPath } | { ok: false; reason: string } {
  if (text === '') return { ok: false, reason: 'the attribute path is empty' };
  if (/\s/.test(text)) return { ok: false, reason: `"${text}" contains white space` };
  let uri: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    uri = text.slice(0, cut);
    rest = text.slice(cut + 1);
    if (!URN.test(uri)) return { ok: false, reason: `"${uri}" is not a valid schema URN` };
    if (rest === '') return { ok: false, reason: `"${text}" names a schema but no attribute` };
  }
  const parts = rest.split('.');
  if (parts.length > 2) {
    return { ok: false, reason: `"${text}" has more than one sub-attribute level` };
  }
  const [attr = '', subAttr] = parts;
  if (!isAttrName(attr)) {
    return {
      ok: false,
      reason: `"${attr}" is not a valid attribute name (letters, digits, "-", "_"; starts with a letter)`,
    };
  }
  if (subAttr !== undefined && !isAttrName(subAttr)) {
    return { ok: false, reason: `"${subAttr}" is not a valid sub-attribute name` };
  }
  return {
    ok: true,
    path: {
      ...(uri !== undefined ? { uri } : {}),
      attr,
      ...(subAttr !== undefined ? { subAttr } : {}),
    },
  };
}

/** True when `text` is a valid attrPath per the RFC 7644 ABNF. */
export function isAttrPath(text: string): boolean {
  return parseAttrPath(text).ok;
}

/**
 * Parses a PATCH `path` (RFC 7644 §3.5.2): `attrPath`, or `[URI ":"]attr[valFilter]` optionally
 * followed by `.subAttr`. The bracketed filter is returned as text; brackets inside quoted values
 * are respected.
 */
export function parsePatchPath(
  text: string,
): { ok: true; path: PatchPath } | { ok: false; reason: string } {
  const open = text.indexOf('[');
  if (open === -1) return parseAttrPath(text);
  const close = closingBracket(text, open);
  if (close === -1) return { ok: false, reason: `"${text}" has a "[" without a matching "]"` };
  const head = parseAttrPath(text.slice(0, open));
  if (!head.ok) return head;
  if (head.path.subAttr !== undefined) {
    return {
      ok: false,
      reason: `a value filter must follow a multi-valued attribute, not "${text.slice(0, open)}"`,
    };
  }
  const valueFilter = text.slice(open + 1, close).trim();
  if (valueFilter === '') return { ok: false, reason: `"${text}" has an empty value filter` };
  const tail = text.slice(close + 1);
  let subAttr: string | undefined;
  if (tail !== '') {
    if (!tail.startsWith('.') || !isAttrName(tail.slice(1))) {
      return { ok: false, reason: `"${tail}" after the value filter must be ".subAttribute"` };
    }
    subAttr = tail.slice(1);
  }
  return {
    ok: true,
    path: { ...head.path, valueFilter, ...(subAttr !== undefined ? { subAttr } : {}) },
  };
}

/** Index of the "]" closing the "[" at `open`, skipping quoted strings; -1 if none. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === ']') {
      return i;
    }
  }
  return -1;
}

/** Compares attribute names the RFC 7643 §2.1 way: case-insensitively. */
export function sameAttrName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
