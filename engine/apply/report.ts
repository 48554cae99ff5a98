/**
 * CSV files a run leaves for the admin:
 * - the results report, one line per plan row: what was done and what the server said;
 * - the failed rows, in the input's own columns, to fix and import again.
 *
 * Both stream (memory stays flat for any number of rows, writes wait for the disk), appear under
 * their name only when complete, and neutralise formula-like cells (OWASP CSV Injection) with the
 * reversible `'` prefix the CSV reader strips on import.
 */
import { formatSafeCsvRow, UTF8_BOM } from '../csv/csv-format';
import { createLineFileWriter } from '../files/line-file';

const REPORT_COLUMNS = [
  'row',
  'key',
  'action',
  'status',
  'scim_id',
  'error',
  'server_detail',
] as const;

export type ReportRow = {
  /** CSV data row (1-based); absent for server accounts not in the CSV. */
  row?: number;
  /** userName / displayName: what the admin recognises. */
  key: string;
  /** Plan action: create, update, deactivate, … */
  action: string;
  /** Result: done, failed, unknown, skipped, pending, … */
  status: string;
  scimId?: string;
  /** One sentence naming the cause, when it failed. */
  error?: string;
  /** What the server said (status, scimType, detail). */
  serverDetail?: string;
};

type CsvFileOptions = {
  /** Start with a UTF-8 byte-order mark so Excel reads the file as UTF-8 (default false). */
  excel?: boolean;
};

/** Writes `rows` as CSV, returning how many data rows were written. */
async function writeCsv<R>(
  outFile: string,
  header: readonly string[],
  rows: AsyncIterable<R>,
  cellsOf: (row: R) => readonly string[],
  opts: CsvFileOptions,
): Promise<number> {
  const out = createLineFileWriter(outFile);
  const line = (cells: readonly string[]): string => formatSafeCsvRow(cells);
  let count = 0;
  try {
    await out.write((opts.excel ? UTF8_BOM : '') + line(header));
    for await (const row of rows) {
      await out.write(line(cellsOf(row)));
      count += 1;
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return count;
}

/** The per-row results report (`row, key, action, status, scim_id, error, server_detail`). */
export function writeRunReport(
  outFile: string,
  rows: AsyncIterable<ReportRow>,
  opts: CsvFileOptions = {},
): Promise<number> {
  return writeCsv(outFile, REPORT_COLUMNS, rows, reportCells, opts);
}

function reportCells(r: ReportRow): string[] {
  return [
    r.row === undefined ? '' : String(r.row),
    r.key,
    r.action,
    r.status,
    r.scimId ?? '',
    r.error ?? '',
    r.serverDetail ?? '',
  ];
}

/**
 * The rows that failed, in the input's columns (`sourceCsvHeaders`, as the reader made them
 * distinct), so the admin can fix them and import this file instead of the whole CSV.
 */
export function writeFailedRowsCsv(
  outFile: string,
  sourceCsvHeaders: readonly string[],
  rows: AsyncIterable<{ cells: readonly string[] }>,
  opts: CsvFileOptions = {},
): Promise<number> {
  const width = sourceCsvHeaders.length;
  return writeCsv(outFile, sourceCsvHeaders, rows, (r) => padded(r.cells, width), opts);
}

/** Short rows padded to the header's width, so the file reads back without "too few fields". */
function padded(cells: readonly string[], width: number): readonly string[] {
  if (cells.length >= width) return cells;
  const out = [...cells];
  while (out.length < width) out.push('');
  return out;
}
