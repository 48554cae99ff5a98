import { describe, expect, it } from 'vitest';
import { computeEffective, effectivePageSize } from '../../../../engine/scim/discovery-effective';
import {
  isServiceProviderConfig,
  parseServiceProviderConfig,
  unwrapServiceProviderConfig,
} from '../../../../engine/scim/service-provider-config';
import type { JsonObject } from '../../../../engine/scim/read';

/** RFC 7643 §8.5 example. */
const RFC_SPC: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  documentationUri: 'http://example.com/help/scim.html',
  patch: { supported: true },
  bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [
    {
      name: 'OAuth Bearer Token',
      description: 'Authentication scheme using the OAuth Bearer Token Standard',
      specUri: 'http://www.rfc-editor.org/info/rfc6750',
      documentationUri: 'http://example.com/help/oauth.html',
      type: 'oauthbearertoken',
      primary: true,
    },
    {
      name: 'HTTP Basic',
      description: 'Authentication scheme using the HTTP Basic Standard',
      type: 'httpbasic',
    },
  ],
  meta: {
    location: 'https://example.com/v2/ServiceProviderConfig',
    resourceType: 'ServiceProviderConfig',
  },
};

/** Entra ID SCIM API (docs/server-behaviour.md, A3): cursor only, no bulk. */
const ENTRA_SPC: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  pagination: {
    cursor: true,
    index: false,
    defaultPaginationMethod: 'Cursor',
    defaultPageSize: 100,
    maxPageSize: 1000,
    cursorTimeout: 3600,
  },
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', primary: true }],
};

/** SCIM 1.1-era document as served at /ServiceProviderConfigs (Slack v1.1 / Salesforce / Okta agent). */
const SCIM11_SPC: JsonObject = {
  schemas: ['urn:scim:schemas:core:1.0'],
  patch: { supported: 'true' },
  bulk: { supported: 'false', maxOperations: '0', maxPayloadSize: '0' },
  filter: { supported: 'True', maxResults: '100' },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  xmlDataFormat: { supported: false },
  authenticationSchemes: { type: 'oauthbearertoken', name: 'OAuth' },
};

const probesYes = {
  filterEq: { observed: 'yes' as const },
  indexPaging: { observed: 'yes' as const },
  cursorPaging: { observed: 'unknown' as const },
  etag: { observed: 'yes' as const },
  listing: true,
};

describe('ServiceProviderConfig parsing', () => {
  it('parses the RFC 7643 §8.5 example', () => {
    const caps = parseServiceProviderConfig(RFC_SPC);
    expect(caps).toEqual({
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      pagination: { cursor: false, index: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication scheme using the OAuth Bearer Token Standard',
          primary: true,
        },
        {
          type: 'httpbasic',
          name: 'HTTP Basic',
          description: 'Authentication scheme using the HTTP Basic Standard',
        },
      ],
    });
    const { effective, warnings } = computeEffective(caps, probesYes);
    expect(effective).toEqual({
      paging: 'index',
      pageSize: 200,
      bulk: { enabled: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      patch: true,
      etag: true,
      filter: true,
      sort: true,
    });
    expect(warnings.map((w) => w.code)).toContain('no_pagination_advertised');
  });

  it('parses an Entra-like cursor-only SPC (RFC 9865 pagination)', () => {
    const caps = parseServiceProviderConfig(ENTRA_SPC);
    expect(caps.pagination).toEqual({
      cursor: true,
      index: false,
      defaultPaginationMethod: 'cursor',
      defaultPageSize: 100,
      maxPageSize: 1000,
      cursorTimeout: 3600,
    });
    expect(caps.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
    const { effective } = computeEffective(caps, {
      ...probesYes,
      indexPaging: { observed: 'no' },
      cursorPaging: { observed: 'yes' },
      etag: { observed: 'no' },
    });
    expect(effective.paging).toBe('cursor');
    // maxPageSize 1000 is capped by filter.maxResults 200 (RFC 7643 §5: most resources per answer).
    expect(effective.pageSize).toBe(200);
    expect(effective.bulk.enabled).toBe(false);
    expect(effective.etag).toBe(false);
  });

  it('parses a SCIM 1.1 document with string booleans and a single auth scheme', () => {
    expect(isServiceProviderConfig(SCIM11_SPC)).toBe(true);
    const caps = parseServiceProviderConfig(SCIM11_SPC);
    expect(caps.patch.supported).toBe(true);
    expect(caps.filter).toEqual({ supported: true, maxResults: 100 });
    expect(caps.bulk.supported).toBe(false);
    expect(caps.authenticationSchemes).toEqual([{ type: 'oauthbearertoken', name: 'OAuth' }]);
    const wrapped = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      Resources: [SCIM11_SPC],
    };
    expect(unwrapServiceProviderConfig(wrapped)).toBe(SCIM11_SPC);
  });

  it('never reads absent limits as "no limits"', () => {
    const caps = parseServiceProviderConfig({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      bulk: { supported: true, maxOperations: 50 },
    });
    expect(caps.bulk).toEqual({ supported: true, maxOperations: 50, maxPayloadSize: 0 });
    expect(caps.filter).toEqual({ supported: false, maxResults: 0 });
    expect(caps.pagination.maxPageSize).toBeUndefined();
    expect(effectivePageSize(caps)).toBe(100);
    const { effective, warnings } = computeEffective(caps, {
      ...probesYes,
      etag: { observed: 'unknown' },
    });
    expect(effective.bulk).toEqual({ enabled: true, maxOperations: 50, maxPayloadSize: 1_048_576 });
    expect(warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining([
        'bulk_limits_missing',
        'no_page_size_limit',
        'no_pagination_advertised',
      ]),
    );
    // Filter worked in the probe although it was not advertised: use it.
    expect(effective.filter).toBe(true);
  });

  it('turns filters off when the probe saw them ignored', () => {
    const caps = parseServiceProviderConfig(RFC_SPC);
    const { effective } = computeEffective(caps, {
      ...probesYes,
      filterEq: {
        observed: 'no',
        note: 'an impossible userName eq filter returned resources: the filter is ignored',
      },
    });
    expect(effective.filter).toBe(false);
  });
});
