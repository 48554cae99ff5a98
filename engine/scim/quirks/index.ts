/**
 * Vendor deviations SCIM Porter absorbs, in one place. Catalogue (id → where it is handled → source):
 * "behaviour" cites docs/server-behaviour.md and "rules" docs/scim-client-rules.md, by section.
 *
 * Wire level (./wire, applied by the transport to every answer):
 * - json-content-types   accept application/json and any +json type      wire.isJsonContentType   rules "Errors, throttling, transport"
 * - bom-prefixed-json    strip a UTF-8 BOM before JSON.parse                wire.stripBom            observed IIS/.NET hosts
 * - empty-success-body   200/204 with no body on PATCH/PUT/DELETE           wire.parseBody           behaviour "Entra ID as SCIM server"
 * - json-as-text         JSON sent as text/plain or without Content-Type    wire.parseBody           defensive
 * - list-keys-any-case   `resources`/`operations` in any letter case        wire.canonicaliseMessageKeys  behaviour "Entra ID as SCIM server", "Google Cloud Identity SCIM"
 * - numbers-as-strings   totalResults/itemsPerPage/startIndex/status as strings  wire.toInteger      rules "Index paging", "Errors, throttling, transport"
 * - schemas-as-string    `"schemas": "urn:…"`                               wire.normaliseSchemas    defensive
 * - missing-resources    ListResponse without `Resources` on empty pages    wire.normaliseResponseBody  RFC 7644 §3.4.2
 * - quota-as-403         Google 403 rateLimitExceeded treated as 429        wire.isQuotaForbidden    behaviour A2 "Google Workspace Admin SDK"
 *
 * Resource level (./resource, applied by the resource client and the executors on read):
 * - string-booleans      "True"/"False" for boolean attributes               resource.normaliseResource  behaviour "Entra as SCIM client", B1 `patch`
 * - numeric-strings      "42" for integer/decimal attributes                 resource.normaliseResource  rules "Index paging"
 * - numeric-ids          numeric `id` and member/group `value`               resource.normaliseResource  rules "Matching and diff"
 * - etag-header-only     version only in the ETag header                      resource.withVersionFromEtag rules "Writing" (§3.14)
 * - id-from-location     id taken from Location / bulk `location`            resource.idFromLocation  rules "Bulk"
 *
 * Protocol level (handled where the behaviour lives):
 * - spc-plural           /ServiceProviderConfigs (SCIM 1.1: Slack, Salesforce)   discovery.ts findServiceProviderConfig  behaviour "Slack", "Salesforce"
 * - spc-in-list-response SPC wrapped in a ListResponse                        service-provider-config.ts unwrapServiceProviderConfig  1.1-era servers
 * - base-url-variants    with/without /v2                                     discovery.ts (transport/base-url.ts baseUrlCandidates)  rules "Base URL variants"
 * - filter-ignored       200 with everything for an impossible filter         probes.ts → effective.filter=false  behaviour "Keycloak native", B1 `filter`
 * - forced-cursor        cursor answer to an index request                    paging.ts indexPager → cursor  RFC 9865; rules "Cursor paging"
 * - short-pages / caps   itemsPerPage < count, startIndex drift, duplicates   paging.ts  behaviour C6
 * - patch-204            PATCH answered 204 without body                      resources.ts patch  rules "Writing"
 * - bulk-status-types    bulk `status` as string or number                    bulk-results.ts  RFC 7644 §3.7.3
 * - bulk-unsupported     /Bulk answered 404/501/"not supported"              bulk.ts → singles  behaviour A3
 */
export * from './wire';
export * from './resource';
