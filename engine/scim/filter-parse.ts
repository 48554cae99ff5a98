/**
 * Validation of user-typed SCIM filters (RFC 7644 §3.4.2.2) before they are sent, so a typo is
 * reported with a position instead of as a server's `invalidFilter` 400 (or, worse, ignored).
 */
import { parse, type Filter } from 'scim2-parse-filter';
import { AppError } from '../../shared/errors/errors';
import { parseAttrPath } from '../../shared/scim/attribute-path';

/** Where a filter stopped parsing, and why. */
type FilterProblem = { position: number; reason: string };

function attrPathsOf(f: Filter, prefix = ''): string[] {
  switch (f.op) {
    case 'and':
    case 'or':
      return 'filters' in f ? f.filters.flatMap((x) => attrPathsOf(x, prefix)) : [];
    case 'not':
      return 'filter' in f ? attrPathsOf(f.filter, prefix) : [];
    case '[]':
      return 'valFilter' in f ? [f.attrPath, ...attrPathsOf(f.valFilter)] : [];
    case 'eq':
    case 'ne':
    case 'co':
    case 'sw':
    case 'ew':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
    case 'pr':
      return [f.attrPath];
  }
}

/** Best-effort position of the failure, from the library's message (it gives the unread rest or a token). */
function locate(text: string, message: string): number {
  const rest = /^unexpected token ([\s\S]*)$/.exec(message)?.[1];
  if (rest !== undefined && text.endsWith(rest)) return text.length - rest.length;
  const token = /Unexpected token \[?([^\s([\]]+)/.exec(message)?.[1];
  if (token !== undefined && token !== '') {
    const at = text.lastIndexOf(token);
    if (at >= 0) return at;
  }
  return text.length;
}

function unbalanced(text: string): FilterProblem | undefined {
  const stack: { c: string; at: number }[] = [];
  let quoteAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quoteAt >= 0) {
      if (c === '\\') i++;
      else if (c === '"') quoteAt = -1;
      continue;
    }
    if (c === '"') quoteAt = i;
    else if (c === '(' || c === '[') stack.push({ c, at: i });
    else if (c === ')' || c === ']') {
      const top = stack.pop();
      if (!top || (top.c === '(') !== (c === ')'))
        return { position: i, reason: `unexpected "${c}"` };
    }
  }
  if (quoteAt >= 0) return { position: quoteAt, reason: 'a quoted value is not closed' };
  const open = stack.pop();
  if (open) return { position: open.at, reason: `"${open.c}" is never closed` };
  return undefined;
}

/** Returns the first problem in a filter, or undefined when it parses (and all attribute paths are valid). */
export function findFilterProblem(text: string): FilterProblem | undefined {
  if (text.trim() === '') return { position: 0, reason: 'the filter is empty' };
  const structural = unbalanced(text);
  if (structural) return structural;
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = locate(text, message);
    const near = text.slice(position, position + 20);
    return {
      position,
      reason: near
        ? `expected an attribute, an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) or a value near "${near}"`
        : 'the filter ends too early',
    };
  }
  for (const path of attrPathsOf(ast)) {
    const parsed = parseAttrPath(path);
    if (!parsed.ok) return { position: Math.max(0, text.indexOf(path)), reason: parsed.reason };
  }
  return undefined;
}

/**
 * Validates a filter typed by a user and returns it unchanged.
 *
 * @throws AppError `invalid_filter` with a sentence naming the character position and the reason.
 */
export function validateFilter(text: string): string {
  const problem = findFilterProblem(text);
  if (problem) {
    throw new AppError(
      'invalid_filter',
      `The filter is not valid at character ${problem.position + 1}: ${problem.reason}.`,
      { raw: text.slice(0, 500) },
    );
  }
  return text;
}
