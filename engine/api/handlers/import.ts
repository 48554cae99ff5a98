import { readFile } from 'node:fs/promises';
import { MappingError } from '../../../shared/mapping/errors';
import { compileMapping } from '../../mapping/compile';
import { getPreset, leadingLinesToSkip, PRESETS } from '../../../shared/mapping/presets';
import {
  parseMappingSpecText,
  serializeMappingSpec,
  type MappingSpec,
} from '../../../shared/mapping/spec';
import { suggestMapping } from '../../../shared/mapping/suggest';
import { buildCreateResource } from '../../resources/create-resource';
import { validateDesired } from '../../plan/validate-row';
import { createValueSafety } from '../../resources/value-safety';
import { AppError } from '../../../shared/errors/errors';
import type { CsvRow } from '../../../shared/import/types';
import type { MappingPreview } from '../../../shared/ipc/schemas/import';
import { firstLine } from '../../csv/first-line';
import { openCsv } from '../../csv/read-csv';
import { writeFileAtomic } from '../../files/atomic-file';
import { connectionSchemas, resourceTypeFor } from '../../workspace/connection-schemas';
import { targetAttributes } from '../../workspace/target-attributes';
import type { Handler } from '../types';

/** Rows kept for the live preview. */
const PREVIEW_ROWS = 25;
/** Least time between two `import:progress` events. */
const PROGRESS_MS = 200;
/** Rows auto-suggest looks at. */
const SUGGEST_ROWS = 200;

/** `import:inspect`: one streaming pass for the diagnostics, a sample, and a suggested mapping. */
export const inspectCsv: Handler<'import:inspect'> = async (request, { engine }) => {
  const preset = request.presetId !== undefined ? getPreset(request.presetId) : undefined;
  if (request.presetId !== undefined && !preset) {
    throw new AppError('invalid_request', `There is no preset "${request.presetId}".`);
  }
  const skipLines =
    request.csv?.skipLines ??
    preset?.skipLines ??
    leadingLinesToSkip(await firstLine(engine.files.check(request.path, 'read')));
  const source = await openCsv(engine.files.check(request.path, 'read'), {
    ...request.csv,
    skipLines,
  });
  const rows: CsvRow[] = [];
  let read = 0;
  let reported = Date.now();
  for await (const row of source.rows()) {
    if (rows.length < SUGGEST_ROWS) rows.push(row);
    read += 1;
    // A big file takes seconds: say how far the reading got, a few times a second.
    if (read % 5000 === 0 && Date.now() - reported >= PROGRESS_MS) {
      reported = Date.now();
      engine.emit('import:progress', { path: request.path, rows: read });
    }
  }
  const diagnostics = source.diagnostics();
  const { schemas } = await connectionSchemas(engine, request.connectionId);
  const suggestion = suggestMapping(
    diagnostics.headers,
    rows.map((r) => r.cells),
    {
      schemas,
      ...(request.resourceType ? { resourceType: request.resourceType } : {}),
      ...(preset ? { preset: preset.spec } : {}),
    },
  );
  const header = request.csv?.header;
  const spec: MappingSpec = {
    ...suggestion.spec,
    ...(skipLines && !suggestion.spec.skipLines ? { skipLines } : {}),
    ...(header !== undefined ? { header } : {}),
  };
  return {
    diagnostics,
    sample: rows.slice(0, PREVIEW_ROWS),
    skipLines,
    suggestion: {
      spec,
      confidence: suggestion.confidence,
      unmapped: suggestion.unmapped,
      ...(suggestion.preset ? { preset: suggestion.preset } : {}),
    },
  };
};

/** `mapping:presets`: the built-in presets for the picker. */
export const listPresets: Handler<'mapping:presets'> = () =>
  Promise.resolve(
    PRESETS.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      skipLines: p.skipLines,
    })),
  );

/** `mapping:targets`: attributes the picker offers, from the connection's schemas. */
export const listTargets: Handler<'mapping:targets'> = async (request, { engine }) => {
  const { schemas } = await connectionSchemas(engine, request.connectionId);
  return targetAttributes(schemas, request.resourceType);
};

/** `mapping:preview`: the sample rows through a draft mapping, with every problem. */
export const previewMapping: Handler<'mapping:preview'> = async (request, { engine }) => {
  const known = await connectionSchemas(engine, request.connectionId);
  let compiled;
  try {
    compiled = compileMapping(request.spec as MappingSpec, request.headers, {
      schemas: known.schemas,
      csvFile: 'CSV',
    });
  } catch (e) {
    if (e instanceof MappingError) {
      return { mappingProblems: [...e.problems], ignored: [], rows: [] } satisfies MappingPreview;
    }
    throw e;
  }
  const resourceType = resourceTypeFor(known, compiled.resourceType);
  const values = createValueSafety({
    file: 'CSV',
    targets: compiled.targets,
    matchKeys: compiled.matchKeys,
    sources: compiled.sources,
    headers: request.headers,
    ...(compiled.manager ? { managerTarget: compiled.manager.target } : {}),
  });
  const rows: MappingPreview['rows'] = request.rows.map((row) => {
    const mapped = compiled.mapRow(row);
    const problems = [
      ...values.check(mapped, row),
      ...mapped.problems,
      ...validateDesired(compiled.targets, mapped.cells, {
        schemas: known.schemas,
        resourceType,
        forCreate: true,
        file: 'CSV',
        row: row.row,
        line: row.line,
        sourceColumns: compiled.sources,
      }),
    ];
    let resource;
    try {
      resource = buildCreateResource(compiled.targets, mapped.cells, {
        schemas: known.schemas,
        resourceType,
      });
    } catch {
      resource = undefined;
    }
    return {
      row: row.row,
      ...(resource ? { resource } : {}),
      ...(mapped.groups?.length ? { groups: mapped.groups } : {}),
      ...(mapped.manager ? { manager: mapped.manager } : {}),
      problems,
    };
  });
  return { mappingProblems: [], ignored: compiled.ignored, rows };
};

/** `mapping:load`: a mapping JSON file, validated (every problem named by its JSON path). */
export const loadMapping: Handler<'mapping:load'> = async ({ path }, { engine }) => {
  let text: string;
  try {
    text = await readFile(engine.files.check(path, 'read'), 'utf8');
  } catch (e) {
    throw new AppError('input', `Cannot read the mapping ${path}: ${(e as Error).message}`, {
      nextStep: 'Choose a mapping JSON file saved by SCIM Porter.',
    });
  }
  return { spec: parseMappingSpecText(text, path) };
};

/** `mapping:save`: writes the mapping atomically. */
export const saveMapping: Handler<'mapping:save'> = async ({ path, spec }, { engine }) => {
  await writeFileAtomic(engine.files.check(path, 'write'), serializeMappingSpec(spec));
  return { path };
};
