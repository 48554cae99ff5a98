/**
 * Managers named by a key in the CSV (employee number, userName, externalId or email): resolved to
 * the manager's SCIM id from the snapshot, or left for the run to resolve when the manager is a
 * row of the same file that will be created first. Reports managers found nowhere, and cycles
 * (A reports to B, B reports to A).
 */
import type { InputProblem } from '../../../shared/import/types';
import { findManagerCycles } from '../../../shared/mapping/manager-graph';
import { normaliseForMatch } from '../../../shared/plan/within-file-keys';
import type { SnapshotIndex } from './snapshot-index';

const MISSING_SAMPLE = 50;

export type ManagerRefs = {
  /** Records a row's own key and its manager's key (for cycles and "is the manager in the file"). */
  noteRow(ownKey: string, managerKey: string | undefined): void;
  /** The manager's SCIM id from the snapshot, or how many accounts matched (0, or ≥2). */
  resolve(value: string): { id: string } | { matches: number };
  /** A row whose manager could not be resolved now. */
  defer(row: number, line: number, value: string): void;
  unresolved(): number;
  /** Managers found neither on the server nor in the file, and the cycles; frees the memory. */
  finish(): { missing: InputProblem[]; cycles: string[][] };
};

export function createManagerRefs(opts: {
  file: string;
  index: SnapshotIndex;
  /** The snapshot index key that holds the manager attribute, or −1. */
  keyIndex: number;
  caseExact: boolean;
}): ManagerRefs {
  // Employee key → manager key ('' for none), one entry per row.
  const managerOf = new Map<string, string>();
  const deferred: { row: number; line: number; value: string }[] = [];
  return {
    noteRow(own, manager) {
      managerOf.set(
        normaliseForMatch(own, false),
        manager ? normaliseForMatch(manager, false) : '',
      );
    },
    resolve(value) {
      if (opts.keyIndex < 0) return { matches: 0 };
      const found = opts.index.find(opts.keyIndex, normaliseForMatch(value, opts.caseExact));
      const id = found.length === 1 ? opts.index.read(found[0] ?? 0).id : undefined;
      return id !== undefined ? { id } : { matches: found.length };
    },
    defer(row, line, value) {
      deferred.push({ row, line, value });
    },
    unresolved: () => deferred.length,
    finish() {
      const missing: InputProblem[] = [];
      for (const p of deferred) {
        if (managerOf.has(normaliseForMatch(p.value, false))) continue;
        if (missing.length >= MISSING_SAMPLE) break;
        missing.push({
          file: opts.file,
          line: p.line,
          row: p.row,
          value: p.value,
          code: 'manager_missing',
          severity: 'warning',
          message: `${opts.file}, row ${p.row}: the manager "${p.value}" is neither on the server nor in the file; the manager is left as it is.`,
          nextStep: 'Add the manager to the file or correct the manager column.',
        });
      }
      function* edges(): Generator<[string, string]> {
        for (const [employee, manager] of managerOf) if (manager !== '') yield [employee, manager];
      }
      const cycles = managerOf.size ? findManagerCycles(edges()) : [];
      managerOf.clear();
      return { missing, cycles };
    },
  };
}
