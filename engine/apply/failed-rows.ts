/**
 * "Failed rows": the rows of the original CSV whose plan rows failed or are still pending after a
 * run, in their original columns, so the admin can fix them and plan and run again.
 */
import type { CsvEncoding } from '../../shared/import/types';
import { openCsv, readOptionsOf } from '../csv/read-csv';
import { openPlan } from '../plan/plan-file';
import { writeFailedRowsCsv } from './report';

/** CSV data rows (1-based) whose status in the run's report is failed, unknown or pending. */
async function unfinishedRows(reportFile: string): Promise<Set<number>> {
  const rows = new Set<number>();
  const csv = await openCsv(reportFile, { encoding: 'utf-8', delimiter: ',' });
  const status = csv.info.headers.indexOf('status');
  const row = csv.info.headers.indexOf('row');
  for await (const r of csv.rows()) {
    const s = r.cells[status] ?? '';
    const n = Number(r.cells[row]);
    if (Number.isInteger(n) && n > 0 && (s === 'failed' || s === 'unknown' || s === 'pending')) {
      rows.add(n);
    }
  }
  return rows;
}

/** Writes the failed rows of a run in the original CSV's columns; resolves with their count. */
export async function writeFailedRows(opts: {
  planFile: string;
  reportFile: string;
  outFile: string;
  /** Vets the source CSV path the plan names before it is read (the app: a read grant). */
  checkSource?: (path: string) => string;
}): Promise<number> {
  const plan = await openPlan(opts.planFile);
  const csvInfo = plan.header.csv;
  plan.close();
  const wanted = await unfinishedRows(opts.reportFile);
  const source = opts.checkSource ? opts.checkSource(csvInfo.file) : csvInfo.file;
  const csv = await openCsv(source, {
    encoding: csvInfo.encoding as CsvEncoding,
    delimiter: csvInfo.delimiter,
    ...readOptionsOf(csvInfo),
  });
  async function* rows(): AsyncGenerator<{ cells: readonly string[] }> {
    for await (const row of csv.rows()) if (wanted.has(row.row)) yield { cells: row.cells };
  }
  return writeFailedRowsCsv(opts.outFile, csv.info.originalHeaders, rows());
}
