/**
 * The orphan report: every server account the CSV does not list, in every mode, as a CSV next to
 * the plan (`plan.orphans.csv`: id, display, email, active, status) plus a sample for the summary.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatSafeCsvRow } from '../csv/csv-format';
import { PRIVATE_FILE_MODE } from '../files/private-files';
import { parseColumnHeader } from '../../shared/columns/columns';
import type { OrphanLine } from '../../shared/plan/plan-format';
import type { ScimResource, ScimSchema } from '../../shared/scim/types';
import { displayOf } from './row-plan';
import { keyCell } from './snapshot-index';

const SAMPLE = 50;

export type OrphanReport = {
  file: string;
  add(resource: ScimResource, status: OrphanLine['status']): Promise<void>;
  close(): Promise<void>;
  count(): number;
  sample(): OrphanLine[];
};

export function createOrphanReport(file: string, schemas: readonly ScimSchema[]): OrphanReport {
  const out = createWriteStream(file, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
  const email = parseColumnHeader('emails[type eq "work"].value', { schemas });
  out.write(formatSafeCsvRow(['id', 'display', 'email', 'active', 'status']));
  const sample: OrphanLine[] = [];
  let count = 0;
  return {
    file,
    async add(r, status) {
      const value = r['active'];
      const active = typeof value === 'boolean' || typeof value === 'string' ? String(value) : '';
      const line: OrphanLine = { id: r.id ?? '', display: displayOf(r), active, status };
      count += 1;
      if (sample.length < SAMPLE) sample.push(line);
      // Display names and emails come from the server: defanged so a spreadsheet never runs them.
      const text = formatSafeCsvRow([line.id, line.display, keyCell(r, email), active, status]);
      if (!out.write(text)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
    count: () => count,
    sample: () => sample,
  };
}
