import type { DiscoveryResult } from '../../../../shared/scim/discovery-types';
import { describePaging } from '../../../../shared/scim/paging-plan';
import { formatBytes, PROBE_LABELS, probeDisagrees, yesNo } from './capabilities';

/** What a successful test learned: what the engine will use, what the server advertises, and why. */
export function TestResult({ result: r }: { result: DiscoveryResult }) {
  const spc = r.serviceProviderConfig;
  const e = r.effective;
  const paging = describePaging(r);
  const p = spc.pagination;
  const probes = Object.entries(r.probes) as [
    keyof typeof PROBE_LABELS,
    DiscoveryResult['probes']['bulk'],
  ][];

  return (
    <div className="test-result" data-testid="test-result">
      <p className="test-ok" role="status">
        <span className="badge badge-ok">Connected</span> Answered from <code>{r.baseUrl}</code> in{' '}
        {Math.round(r.durationMs)} ms.
      </p>

      {r.warnings.length > 0 && (
        <section aria-labelledby="warnings-heading" className="card card-warning">
          <h3 id="warnings-heading">Warnings ({r.warnings.length})</h3>
          <ul>
            {r.warnings.map((w) => (
              <li key={w.code + w.message}>{w.message}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="effective-heading" className="card">
        <h3 id="effective-heading">What SCIM Porter will use</h3>
        <dl className="facts" data-testid="effective">
          <dt>Paging</dt>
          <dd>
            Exports: {paging.exports}; other lists: {paging.lists}
          </dd>
          <dt>Bulk</dt>
          <dd>
            {e.bulk.enabled
              ? `Yes, up to ${e.bulk.maxOperations} operations and ${formatBytes(e.bulk.maxPayloadSize)} per request`
              : 'No, single requests'}
          </dd>
          <dt>Updates</dt>
          <dd>{e.patch ? 'PATCH (only changed attributes)' : 'PUT (whole resource)'}</dd>
          <dt>Lookups</dt>
          <dd>{e.filter ? 'Filter queries' : 'Full listing (no filter support)'}</dd>
          <dt>Sorting</dt>
          <dd>{yesNo(e.sort)}</dd>
          <dt>ETags</dt>
          <dd>{e.etag ? 'Yes, If-Match on updates' : 'No'}</dd>
        </dl>
      </section>

      <section aria-labelledby="advertised-heading" className="card">
        <h3 id="advertised-heading">Advertised by the server</h3>
        <dl className="facts" data-testid="advertised">
          <dt>Bulk</dt>
          <dd>
            {spc.bulk.supported
              ? `Supported · maxOperations ${spc.bulk.maxOperations} · maxPayloadSize ${formatBytes(spc.bulk.maxPayloadSize)}`
              : 'Not supported'}
          </dd>
          <dt>PATCH</dt>
          <dd>{spc.patch.supported ? 'Supported' : 'Not supported'}</dd>
          <dt>Filter</dt>
          <dd>
            {spc.filter.supported
              ? `Supported · maxResults ${spc.filter.maxResults}`
              : 'Not supported'}
          </dd>
          <dt>Sort</dt>
          <dd>{spc.sort.supported ? 'Supported' : 'Not supported'}</dd>
          <dt>ETag</dt>
          <dd>{spc.etag.supported ? 'Supported' : 'Not supported'}</dd>
          <dt>Change password</dt>
          <dd>{spc.changePassword.supported ? 'Supported' : 'Not supported'}</dd>
          <dt>Paging</dt>
          <dd data-testid="paging">
            {[p.index && 'index', p.cursor && 'cursor'].filter(Boolean).join(' + ') || 'not stated'}
            {p.defaultPaginationMethod && ` · default ${p.defaultPaginationMethod}`}
            {p.defaultPageSize !== undefined && ` · default page size ${p.defaultPageSize}`}
            {p.maxPageSize !== undefined && ` · max page size ${p.maxPageSize}`}
            {p.cursorTimeout !== undefined && ` · cursor timeout ${p.cursorTimeout} s`}
          </dd>
          <dt>Authentication</dt>
          <dd>
            {spc.authenticationSchemes.map((a) => a.name || a.type).join(', ') || 'not stated'}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="probes-heading" className="card">
        <h3 id="probes-heading">Probes: advertised vs observed</h3>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Capability</th>
              <th scope="col">Advertised</th>
              <th scope="col">Observed</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {probes.map(([key, probe]) => {
              const disagrees = probeDisagrees(probe);
              return (
                <tr key={key} className={disagrees ? 'row-flagged' : undefined}>
                  <th scope="row">{PROBE_LABELS[key]}</th>
                  <td>{probe.advertised === undefined ? '—' : yesNo(probe.advertised)}</td>
                  <td>
                    {probe.observed === 'unknown' ? 'not checked' : yesNo(probe.observed === 'yes')}
                  </td>
                  <td>
                    {disagrees && <span className="badge badge-warning">Disagrees</span>}{' '}
                    {probe.note}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="types-heading" className="card">
        <h3 id="types-heading">Resource types ({r.resourceTypes.length})</h3>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Schema</th>
              <th scope="col">Extensions</th>
            </tr>
          </thead>
          <tbody>
            {r.resourceTypes.map((t) => (
              <tr key={t.name}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.endpoint}</code>
                </td>
                <td className="urn">{t.schema}</td>
                <td className="urn">
                  {t.schemaExtensions.length === 0
                    ? '—'
                    : t.schemaExtensions
                        .map((x) => `${x.schema}${x.required ? ' (required)' : ''}`)
                        .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="schemas-heading" className="card">
        <h3 id="schemas-heading">
          Schemas ({r.schemas.length})
          {r.schemaSource !== 'server' && (
            <span className="badge badge-warning">
              {r.schemaSource === 'builtin' ? 'built-in RFC 7643 copies' : 'partly built-in'}
            </span>
          )}
        </h3>
        {r.schemaSource !== 'server' && (
          <p className="muted">
            The server did not publish {r.schemaSource === 'builtin' ? 'its' : 'all its'} schemas at
            /Schemas, so SCIM Porter uses the standard definitions from RFC 7643 §8.7.1 where
            needed.
          </p>
        )}
        <ul className="schema-list">
          {r.schemas.map((s) => (
            <li key={s.id}>
              <strong>{s.name ?? s.id}</strong> <span className="urn">{s.id}</span> ·{' '}
              {s.attributes.length} attributes
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
