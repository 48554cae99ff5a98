/**
 * The CSV pass of an export: renders the JSON Lines snapshot the listing wrote into CSV rows, with
 * the columns learnt while listing, so the header holds every column that occurs.
 */
import type { ColumnSpec } from '../../shared/columns/columns';
import type { ScimResource } from '../../shared/scim/types';
import { flattenResource } from '../columns/flatten';
import { escapeFormula, formatCsvRow, UTF8_BOM } from '../csv/csv-format';
import { readJsonLines, type LineFileWriter } from '../files/line-file';
import { ownGroups } from '../snapshot/group-index';

type CsvRenderOptions = {
  /** Start with a UTF-8 byte-order mark. */
  excel?: boolean;
  /** Neutralise cells a spreadsheet would run as formulas (default true). */
  escapeFormulas?: boolean;
  /** After every 5000 rows: the rows written so far. */
  onRows?: (written: number) => void;
};

function groupNames(record: ScimResource): string[] {
  return (ownGroups(record) ?? []).map((g) => g.display);
}

function keep(value: string): string {
  return value;
}

/**
 * Writes the header and one row per snapshot line to `out` (not committed); returns how many
 * values had no CSV column.
 */
export async function renderCsv(
  snapshotPath: string,
  columns: readonly ColumnSpec[],
  out: LineFileWriter,
  opts: CsvRenderOptions,
): Promise<number> {
  const cell = opts.escapeFormulas !== false ? escapeFormula : keep;
  await out.write((opts.excel ? UTF8_BOM : '') + formatCsvRow(columns.map((c) => cell(c.header))));
  let unrepresentable = 0;
  let written = 0;
  for await (const value of readJsonLines(snapshotPath)) {
    const record = value as ScimResource;
    const flat = flattenResource(record, columns, { groups: groupNames(record) });
    unrepresentable += flat.unrepresentable;
    await out.write(formatCsvRow(flat.cells.map(cell)));
    written += 1;
    if (written % 5000 === 0) opts.onRows?.(written);
  }
  return unrepresentable;
}
