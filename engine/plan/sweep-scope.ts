/**
 * What a sweep may touch: the scope filter (evaluated on this computer against the snapshot, so a
 * server that ignores filters can never widen a sweep) and the protected list (break-glass and
 * service accounts, never touched in any mode).
 */
import { readFile } from 'node:fs/promises';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { AppError } from '../../shared/errors/errors';
import type { ScimResource } from '../../shared/scim/types';
import { validateFilter } from '../scim/filter-parse';

/** True when a resource is inside the sweep's scope (everything when no filter is given). */
export type ScopeTest = (resource: ScimResource) => boolean;

export function compileScope(filterText: string | undefined): ScopeTest {
  if (filterText === undefined || filterText.trim() === '') return () => true;
  const text = validateFilter(filterText);
  const test = compileFilter(parseFilter(text));
  return (r) => test(r);
}

/** Protected accounts, by id, userName, externalId or any email (case-insensitive). */
export type ProtectedList = {
  size: number;
  /** The entry that protects this resource, or undefined (every entry that matched is noted). */
  protects(resource: ScimResource): string | undefined;
  /** The entries no resource checked so far matched, as written in the list. */
  unmatched(): string[];
};

function norm(v: string): string {
  return v.normalize('NFC').trim().toLowerCase();
}

export function createProtectedList(entries: readonly string[]): ProtectedList {
  const written = new Map<string, string>();
  for (const e of entries) {
    const key = norm(e);
    if (key !== '' && !written.has(key)) written.set(key, e.trim());
  }
  const hit = new Set<string>();
  return {
    size: written.size,
    protects(r) {
      if (written.size === 0) return undefined;
      const candidates: unknown[] = [r.id, r['userName'], r.externalId, r['displayName']];
      const emails = r['emails'];
      if (Array.isArray(emails)) {
        for (const e of emails as unknown[]) {
          if (typeof e === 'object' && e !== null)
            candidates.push((e as { value?: unknown }).value);
        }
      }
      // Every entry this account matches is noted, so none is reported as matching nobody.
      let first: string | undefined;
      for (const c of candidates) {
        if (typeof c !== 'string') continue;
        const key = norm(c);
        if (!written.has(key)) continue;
        hit.add(key);
        first ??= c;
      }
      return first;
    },
    unmatched: () => [...written].filter(([key]) => !hit.has(key)).map(([, text]) => text),
  };
}

/** Reads a protected list: one id, userName, externalId or email per line; `#` starts a comment. */
export async function readProtectedList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'input',
      `Cannot read the protected list ${file}.`,
      {
        nextStep: 'Check the path; the file lists one userName, email, externalId or id per line.',
      },
      { cause: e },
    );
  }
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}
