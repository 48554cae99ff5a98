import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withBuiltinSchemas } from '../../shared/columns/columns';
import { leadingLinesToSkip, PRESETS, getPreset } from '../../shared/mapping/presets';
import { serializeMappingSpec } from '../../shared/mapping/spec';
import { suggestMapping } from '../../shared/mapping/suggest';
import type { ScimSchema } from '../../shared/scim/types';
import type { Engine } from '../../engine/create-engine';
import { firstLine } from '../../engine/csv/first-line';
import { sampleCsv } from '../../engine/csv/read-csv';
import { CONNECTION_OPTIONS, connectFromFlags } from '../connect';
import { EXIT, UsageError } from '../exit-codes';
import { formatTable, type CliIo } from '../io';

export const MAPPING_HELP = `Usage: scim-porter mapping suggest FILE.csv [--preset NAME] [--resource User|Group]
                               [--skip-lines N] [--no-header | --header]
                               [--connection NAME | --url URL] > mapping.json
       scim-porter mapping presets

suggest   reads the CSV's headers and first rows and proposes a mapping spec (JSON, on stdout):
          which column becomes which SCIM attribute, the status column for "active", groups,
          the manager, and the match keys. How sure it is about each column goes to stderr.
          With a connection, the server's own schemas (custom extensions) are used too.
          --skip-lines N  lines above the header row to skip (report titles)
          --no-header     the file has no header row (columns are Column 1, Column 2, …)
          --header        the first line is the header, even if it looks like data
          The mapping records these, so "plan" reads the file the same way.
presets   lists the built-in presets (--preset ID starts from one of them).

Edit the JSON if needed, then: scim-porter plan --csv FILE.csv --mapping mapping.json ...`;

const SAMPLE_ROWS = 200;

/** `--skip-lines N`, `--header`, `--no-header` as CSV read options (shared with `plan`). */
export function csvReadFlags(values: {
  'skip-lines'?: string | undefined;
  header?: boolean | undefined;
  'no-header'?: boolean | undefined;
}): { skipLines?: number; header?: boolean } {
  if (values.header && values['no-header']) {
    throw new UsageError('Give --header or --no-header, not both.');
  }
  const raw = values['skip-lines'];
  const skipLines = raw === undefined ? undefined : Number(raw);
  if (
    skipLines !== undefined &&
    !(Number.isInteger(skipLines) && skipLines >= 0 && skipLines <= 100)
  ) {
    throw new UsageError('--skip-lines must be a whole number from 0 to 100.');
  }
  return {
    ...(skipLines !== undefined ? { skipLines } : {}),
    ...(values.header ? { header: true } : values['no-header'] ? { header: false } : {}),
  };
}

export async function runMapping(engine: Engine, argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'presets') {
    const rows = [['ID', 'NAME', 'FOR']];
    for (const p of PRESETS) rows.push([p.id, p.name, p.description.split('. ')[0] ?? '']);
    for (const line of formatTable(rows)) io.out(line);
    return EXIT.ok;
  }
  if (sub !== 'suggest') throw new UsageError(MAPPING_HELP);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...CONNECTION_OPTIONS,
      preset: { type: 'string' },
      resource: { type: 'string' },
      'skip-lines': { type: 'string' },
      header: { type: 'boolean' },
      'no-header': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(MAPPING_HELP);
  const resourceType = values.resource;
  if (resourceType !== undefined && resourceType !== 'User' && resourceType !== 'Group') {
    throw new UsageError('--resource must be User or Group.');
  }
  const preset = values.preset !== undefined ? getPreset(values.preset) : undefined;
  if (values.preset !== undefined && !preset) {
    throw new UsageError(
      `Unknown preset "${values.preset}". Known: ${PRESETS.map((p) => p.id).join(', ')}.`,
    );
  }
  const path = resolve(io.cwd, file);
  let schemas: readonly ScimSchema[] = withBuiltinSchemas([]);
  if (values.connection || values.url) {
    const conn = await connectFromFlags(engine, values, io);
    try {
      schemas = withBuiltinSchemas(conn.discovery.schemas);
    } finally {
      await conn.close();
    }
  }
  const read = csvReadFlags(values);
  const skipLines =
    read.skipLines ?? preset?.skipLines ?? leadingLinesToSkip(await firstLine(path));
  const sample = await sampleCsv(path, SAMPLE_ROWS, { ...read, skipLines });
  const suggestion = suggestMapping(
    sample.info.headers,
    sample.rows.map((r) => r.cells),
    {
      schemas,
      ...(resourceType ? { resourceType } : {}),
      ...(preset ? { preset: preset.spec } : {}),
    },
  );
  const spec = {
    ...suggestion.spec,
    ...(skipLines && !suggestion.spec.skipLines ? { skipLines } : {}),
    ...(read.header !== undefined ? { header: read.header } : {}),
  };
  io.out(serializeMappingSpec(spec));
  io.err(
    `${sample.info.file}: ${sample.info.encoding}, "${sample.info.delimiter === '\t' ? '\\t' : sample.info.delimiter}"-separated, ${sample.info.headers.length} columns${suggestion.preset ? `, recognised as ${suggestion.preset}` : ''}.`,
  );
  const rows = [['COLUMN', 'TARGET', 'SURE', 'WHY']];
  for (const c of suggestion.confidence) {
    rows.push([c.column, c.target ?? '(not mapped)', `${Math.round(c.score * 100)} %`, c.why]);
  }
  for (const line of formatTable(rows)) io.err(line);
  for (const p of sample.problems.slice(0, 5)) io.err(`Note: ${p.message}`);
  return EXIT.ok;
}
