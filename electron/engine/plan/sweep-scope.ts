/**
 * What a sweep may touch: the scope filter (evaluated on this computer against the snapshot, so a
 * server that ignores filters can never widen a sweep) and the protected list (break-glass and
 * service accounts, never touched in any mode).
 */
import { readFile } from 'node:fs/promises';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { AppError } from '../../../shared/errors/errors';
import type { ScimResource } from '../../../shared/scim/types';
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
  /** The entry that protects this resource, or undefined. */
  protects(resource: ScimResource): string | undefined;
};

function norm(v: string): string {
  return v.normalize('NFC').trim().toLowerCase();
}

export function createProtectedList(entries: readonly string[]): ProtectedList {
  const set = new Set(entries.map(norm).filter((e) => e !== ''));
  return {
    size: set.size,
    protects(r) {
      const candidates: unknown[] = [r.id, r['userName'], r.externalId, r['displayName']];
      const emails = r['emails'];
      if (Array.isArray(emails)) {
        for (const e of emails as unknown[]) {
          if (typeof e === 'object' && e !== null)
            candidates.push((e as { value?: unknown }).value);
        }
      }
      for (const c of candidates) {
        if (typeof c === 'string' && set.has(norm(c))) return c;
      }
      return undefined;
    },
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
