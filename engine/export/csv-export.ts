/**
 * The CSV side of an export. The header must hold every column that occurs, and the columns are
 * known only once every resource has been seen, while memory must stay flat: so rows are spooled
 * to a file while listing and rendered after it. The spool holds no JSON Lines snapshot to re-read:
 *
 * - **While listing**, each resource is split into its shape and leaves (csv-shapes.ts). A new
 *   shape is observed by the column collector (a resource of a known shape cannot add a column)
 *   and kept as a probe; the spool line is `[shape, groups cell, ...leaves]`. A resource that is
 *   not shaped is observed and spooled whole, as its JSON.
 * - **After listing**, with the columns known, each shape's template is made once; each spooled
 *   row fills its template with its leaves (a whole resource is flattened as before), and is
 *   formula-escaped and written.
 *
 * The cells are exactly what flattening each resource gives (`flattenResource`, with the user's
 * own `groups` display names in a `groups` column). The JSON Lines snapshot is written only when
 * asked for (`snapshotFile`).
 */
import { rm } from 'node:fs/promises';
import { joinMultiValue, type ColumnSpec } from '../../shared/columns/columns';
import type { ScimResource } from '../../shared/scim/types';
import type { ColumnCollector } from '../columns/column-discovery';
import { flattenResource } from '../columns/flatten';
import {
  CSV_LINE_END,
  escapeFormula,
  formatCsvField,
  formatCsvRow,
  UTF8_BOM,
} from '../csv/csv-format';
import { createLineFileWriter, readLines, type LineFileWriter } from '../files/line-file';
import { ownGroups } from '../snapshot/group-index';
import {
  createShapeIndex,
  fillCell,
  probeOf,
  shapeTemplate,
  type ShapeTemplate,
} from './csv-shapes';

/** Distinct shapes kept (each as one probe resource); resources of further shapes are spooled whole. */
const MAX_SHAPES = 4096;
/** Progress is reported after every this many rows written. */
const ROWS_PER_PROGRESS = 5000;

export type CsvExportOptions = {
  outFile: string;
  collector: ColumnCollector;
  /** Start with a UTF-8 byte-order mark. */
  excel?: boolean;
  /** Neutralise cells a spreadsheet would run as formulas (default true). */
  escapeFormulas?: boolean;
  /** Also write the JSON Lines snapshot here. */
  snapshotFile?: string;
  /** After every 5000 rows written: the rows written so far. */
  onRows?: (written: number) => void;
  /** Distinct shapes kept (default 4096); resources of further shapes are spooled whole. */
  maxShapes?: number;
};

export type CsvExport = {
  /** Takes one snapshot record (the resource with its memberships). */
  add(record: ScimResource): Promise<void>;
  /** Writes the CSV file (and the snapshot); returns what it wrote. */
  finish(): Promise<{ columns: number; unrepresentable: number; bytes: number }>;
  /** Removes every partial file. */
  abort(): Promise<void>;
};

/** The user's own memberships as the `groups` column shows them (display names, else ids). */
function groupsCell(record: Readonly<ScimResource>): string {
  const names = (ownGroups(record) ?? []).map((g) => g.display);
  return joinMultiValue(names.filter((g) => g !== ''));
}

function keep(value: string): string {
  return value;
}

/** Starts a CSV export to `opts.outFile`; see the file comment. */
export function createCsvExport(opts: CsvExportOptions): CsvExport {
  const spoolPath = `${opts.outFile}.rows`;
  const spool = createLineFileWriter(spoolPath);
  const snapshot = opts.snapshotFile ? createLineFileWriter(opts.snapshotFile) : undefined;
  const shapes = createShapeIndex(opts.maxShapes ?? MAX_SHAPES);
  const probes: ScimResource[] = [];
  let out: LineFileWriter | undefined;

  const spoolLine = (record: ScimResource): string => {
    const shaped = shapes.shape(record);
    if (shaped === undefined) {
      opts.collector.observe(record);
      return JSON.stringify(record);
    }
    if (shaped.isNew) {
      probes[shaped.shape] = probeOf(record) as ScimResource;
      opts.collector.observe(record);
    }
    if (Array.isArray(record['groups'])) shaped.row[1] = groupsCell(record);
    return JSON.stringify(shaped.row);
  };

  return {
    async add(record) {
      if (snapshot) await snapshot.write(JSON.stringify(record) + '\n');
      await spool.write(spoolLine(record) + '\n');
    },
    async finish() {
      await spool.commit();
      await snapshot?.commit();
      const columns = opts.collector.columns();
      out = createLineFileWriter(opts.outFile);
      const unrepresentable = await renderRows(spoolPath, columns, probes, out, opts);
      await out.commit();
      await rm(spoolPath, { force: true });
      return { columns: columns.length, unrepresentable, bytes: out.bytes() };
    },
    async abort() {
      await spool.abort();
      await snapshot?.abort();
      await out?.abort();
      await rm(spoolPath, { force: true });
    },
  };
}

/** A shape's template with its fixed cells already escaped and quoted. */
type RowPlan = ShapeTemplate & { fields: (string | undefined)[] };

/** The CSV row of a spooled `[shape, groups cell, ...leaves]`, as formatCsvRow writes it. */
function shapedRow(
  plan: RowPlan,
  row: readonly unknown[],
  groupsAt: number,
  cell: (value: string) => string,
): string {
  if (plan.cells.length === 1) {
    // formatCsvRow writes a row of one empty cell as `""`.
    const only = groupsAt === 0 ? (row[1] as string) : fillCell(plan.cells[0] ?? '', row, 2);
    return formatCsvRow([cell(only)]);
  }
  const fields = plan.cells.map(
    (c, i) => plan.fields[i] ?? formatCsvField(cell(fillCell(c, row, 2))),
  );
  if (groupsAt >= 0) fields[groupsAt] = formatCsvField(cell(row[1] as string));
  return fields.join(',') + CSV_LINE_END;
}

/** Writes the header and one row per spool line; returns how many values had no column. */
async function renderRows(
  spoolPath: string,
  columns: readonly ColumnSpec[],
  probes: readonly ScimResource[],
  out: LineFileWriter,
  opts: CsvExportOptions,
): Promise<number> {
  const cell = opts.escapeFormulas !== false ? escapeFormula : keep;
  await out.write((opts.excel ? UTF8_BOM : '') + formatCsvRow(columns.map((c) => cell(c.header))));
  const plans: (RowPlan | undefined)[] = [];
  const planOf = (id: number): RowPlan => {
    const t = shapeTemplate(probes[id] as ScimResource, columns);
    const fields = t.cells.map((c) =>
      typeof c === 'string' ? formatCsvField(cell(c)) : undefined,
    );
    return { ...t, fields };
  };
  const groupsAt = columns.findIndex((c) => c.path.kind === 'groups');
  let unrepresentable = 0;
  let written = 0;
  for await (const line of readLines(spoolPath)) {
    const row = JSON.parse(line) as unknown;
    let text: string;
    if (Array.isArray(row)) {
      const plan = (plans[row[0] as number] ??= planOf(row[0] as number));
      text = shapedRow(plan, row, groupsAt, cell);
      unrepresentable += plan.unrepresentable;
    } else {
      const record = row as ScimResource;
      const flat = flattenResource(record, columns, {
        groups: (ownGroups(record) ?? []).map((g) => g.display),
      });
      text = formatCsvRow(flat.cells.map(cell));
      unrepresentable += flat.unrepresentable;
    }
    await out.write(text);
    written += 1;
    if (written % ROWS_PER_PROGRESS === 0) opts.onRows?.(written);
  }
  return unrepresentable;
}
