import type { DiscoveryResult, ProbeOutcome } from '../shared/scim/discovery-types';
import { describePaging } from '../shared/scim/paging-plan';
import { formatTable } from './io';
import { terminalValue as v } from './terminal-text';

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function probe(p: ProbeOutcome): string {
  const adv = p.advertised === undefined ? 'not advertised' : `advertised ${yesNo(p.advertised)}`;
  const flag =
    p.advertised !== undefined &&
    p.observed !== 'unknown' &&
    (p.observed === 'yes') !== p.advertised
      ? '  <- differs'
      : '';
  return `${adv}, observed ${p.observed}${p.note ? ` (${v(p.note)})` : ''}${flag}`;
}

/** Human-readable summary of what a server supports (the `discover` and `connections test` output). */
export function formatDiscovery(d: DiscoveryResult): string[] {
  const spc = d.serviceProviderConfig;
  const e = d.effective;
  const pag = spc.pagination;
  const paging = describePaging(d);
  const lines: string[] = [];
  lines.push(`Server:       ${v(d.baseUrl)}  (answered in ${Math.round(d.durationMs)} ms)`);
  lines.push('');
  lines.push(
    ...formatTable([
      ['Capability', 'Advertised', 'SCIM Porter will use'],
      [
        'Bulk',
        spc.bulk.supported
          ? `yes (max ${spc.bulk.maxOperations} ops, ${spc.bulk.maxPayloadSize} bytes)`
          : 'no',
        e.bulk.enabled
          ? `yes, ${e.bulk.maxOperations} ops per request`
          : 'no, concurrent single requests',
      ],
      ['PATCH', yesNo(spc.patch.supported), e.patch ? 'PATCH' : 'PUT (full replace)'],
      [
        'Filter',
        spc.filter.supported ? `yes (max ${spc.filter.maxResults} results)` : 'no',
        yesNo(e.filter),
      ],
      ['Sort', yesNo(spc.sort.supported), yesNo(e.sort)],
      ['ETags', yesNo(spc.etag.supported), e.etag ? 'If-Match on writes' : 'no'],
      [
        'Paging',
        [pag.index ? 'index' : '', pag.cursor ? 'cursor' : ''].filter(Boolean).join(' + ') ||
          'not advertised',
        `exports: ${paging.exports}`,
      ],
      ['', '', `other lists: ${paging.lists}`],
      [
        'Look-ups',
        '',
        d.probes.filterEq.observed === 'yes'
          ? 'per-row eq look-ups possible (checked against a listed user)'
          : 'whole-server snapshot only (the eq filter was not seen working)',
      ],
      ['Page size', `default ${pag.defaultPageSize ?? '?'}, max ${pag.maxPageSize ?? '?'}`, ''],
      ['Cursor timeout', pag.cursorTimeout !== undefined ? `${pag.cursorTimeout} s` : '?', ''],
      ['Change password', yesNo(spc.changePassword.supported), ''],
    ]),
  );
  lines.push('');
  lines.push('Probes:');
  for (const [name, p] of Object.entries(d.probes))
    lines.push(`  ${v(name).padEnd(12)} ${probe(p)}`);
  lines.push('');
  lines.push('Resource types:');
  for (const rt of d.resourceTypes) {
    const ext = rt.schemaExtensions
      .map((x) => `${v(x.schema)}${x.required ? ' (required)' : ''}`)
      .join(', ');
    lines.push(
      `  ${v(rt.name).padEnd(10)} ${v(rt.endpoint).padEnd(10)} ${v(rt.schema)}${ext ? ` + ${ext}` : ''}`,
    );
  }
  lines.push('');
  lines.push(
    `Schemas (${d.schemaSource === 'server' ? 'from the server' : d.schemaSource === 'builtin' ? 'built-in RFC 7643 copies' : 'server + built-in'}):`,
  );
  for (const s of d.schemas) lines.push(`  ${v(s.id)} (${s.attributes.length} attributes)`);
  if (spc.authenticationSchemes.length) {
    lines.push('');
    lines.push(
      `Authentication: ${spc.authenticationSchemes.map((a) => v(a.name || a.type)).join(', ')}`,
    );
  }
  if (d.warnings.length) {
    lines.push('');
    lines.push('Warnings:');
    for (const w of d.warnings) lines.push(`  ! ${v(w.message)}`);
  }
  return lines;
}
