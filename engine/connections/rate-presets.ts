/**
 * Request-rate caps published by SCIM vendors (docs/server-behaviour.md, A2), so a run can
 * be paced to the target's documented limit instead of discovering it through 429s. Each preset
 * is the binding cap for writes, in requests per second.
 */
type RatePreset = {
  id: string;
  name: string;
  requestsPerSecond: number;
  /** Where the number comes from. */
  source: string;
};

export const RATE_PRESETS: readonly RatePreset[] = [
  {
    id: 'entra-scim',
    name: 'Microsoft Entra ID SCIM API (writes, per app and tenant)',
    requestsPerSecond: 20,
    source: 'Microsoft Graph identity throttling: 3,000 writes per 150 s',
  },
  {
    id: 'okta-users',
    name: 'Okta Users API',
    requestsPerSecond: 10,
    source: 'Okta rate limits: 600 requests per minute',
  },
  {
    id: 'slack',
    name: 'Slack SCIM (create, update or delete, per endpoint)',
    requestsPerSecond: 3,
    source: 'Slack SCIM API: 180 requests per minute per endpoint',
  },
  {
    id: 'miro-create',
    name: 'Miro SCIM (create users)',
    requestsPerSecond: 6.6,
    source: 'Miro rate limits: POST /Users 200 per 30 s',
  },
  {
    id: 'miro-delete',
    name: 'Miro SCIM (delete users)',
    requestsPerSecond: 0.66,
    source: 'Miro rate limits: DELETE user 20 per 30 s',
  },
  {
    id: 'sap-ias',
    name: 'SAP Cloud Identity Services',
    requestsPerSecond: 3.3,
    source: 'SAP IAS: 200 requests per minute',
  },
  { id: 'deel', name: 'Deel', requestsPerSecond: 5, source: 'Deel API: 5 requests per second' },
  {
    id: 'zoom',
    name: 'Zoom SCIM2 (per endpoint, older limit)',
    requestsPerSecond: 1,
    source: 'Zoom SCIM2 API: 1 request per second per endpoint',
  },
];

export function ratePreset(id: string): RatePreset | undefined {
  return RATE_PRESETS.find((p) => p.id === id.toLowerCase());
}
