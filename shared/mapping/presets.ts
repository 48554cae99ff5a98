/**
 * Built-in mapping presets (`resources/presets/*.json`) for the CSVs admins most often start from,
 * and how to recognise them from a file's headers. Every preset leaves password columns out: a
 * password never goes into a plan unless a mapping names it explicitly.
 */
import entraBulkCreate from '../../resources/presets/entra-bulk-create.json' with { type: 'json' };
import genericHr from '../../resources/presets/generic-hr.json' with { type: 'json' };
import googleWorkspaceUpload from '../../resources/presets/google-workspace-upload.json' with { type: 'json' };
import oktaUserExport from '../../resources/presets/okta-user-export.json' with { type: 'json' };
import scimPorterExport from '../../resources/presets/scim-porter-export.json' with { type: 'json' };
import { parseMappingSpec, type MappingSpec } from './spec';

export type PresetId =
  | 'okta-user-export'
  | 'entra-bulk-create'
  | 'google-workspace-upload'
  | 'generic-hr'
  | 'scim-porter-export';

/** A built-in preset. */
type MappingPreset = {
  id: PresetId;
  /** Short name for pickers. */
  name: string;
  /** What files it is for and what it does (from the spec's description). */
  description: string;
  /**
   * Headers that identify a file of this kind (compared case-insensitively); a file with most of
   * them is detected as this kind. Empty for `scim-porter-export`, which is recognised by its
   * headers being SCIM attribute paths instead.
   */
  headers: readonly string[];
  /** Lines before the header row the CSV reader must skip (Entra's `version:v1.0`). */
  skipLines: number;
  spec: MappingSpec;
};

function preset(id: PresetId, json: unknown, headers: readonly string[]): MappingPreset {
  const spec = parseMappingSpec(json, `resources/presets/${id}.json`);
  return {
    id,
    name: spec.name ?? id,
    description: spec.description ?? '',
    headers,
    skipLines: spec.skipLines ?? 0,
    spec,
  };
}

/** The presets, most specific first. */
export const PRESETS: readonly MappingPreset[] = [
  preset('entra-bulk-create', entraBulkCreate, [
    'Name [displayName] Required',
    'User name [userPrincipalName] Required',
    'Initial password [passwordProfile] Required',
    'Block sign in (Yes/No) [accountEnabled] Required',
    'First name [givenName]',
    'Last name [surname]',
    'Job title [jobTitle]',
    'Department [department]',
    'Usage location [usageLocation]',
    'Street address [streetAddress]',
    'State or province [state]',
    'Country or region [country]',
    'Office [physicalDeliveryOfficeName]',
    'City [city]',
    'ZIP or postal code [postalCode]',
    'Office phone [telephoneNumber]',
    'Mobile phone [mobile]',
  ]),
  preset('google-workspace-upload', googleWorkspaceUpload, [
    'First Name [Required]',
    'Last Name [Required]',
    'Email Address [Required]',
    'Password [Required]',
    'Password Hash Function [UPLOAD ONLY]',
    'Org Unit Path [Required]',
    'New Primary Email [UPLOAD ONLY]',
    'Recovery Email',
    'Home Secondary Email',
    'Work Secondary Email',
    'Recovery Phone [MUST BE IN THE E.164 FORMAT]',
    'Work Phone',
    'Home Phone',
    'Mobile Phone',
    'Work Address',
    'Home Address',
    'Employee ID',
    'Employee Type',
    'Employee Title',
    'Manager Email',
    'Department',
    'Cost Center',
    'Building ID',
    'Floor Name',
    'Floor Section',
    'Change Password at Next Sign-In',
    'New Status [UPLOAD ONLY]',
    'Advanced Protection Program enrollment',
  ]),
  preset('okta-user-export', oktaUserExport, [
    'login',
    'email',
    'firstName',
    'lastName',
    'status',
    'employeeNumber',
    'department',
    'title',
    'managerId',
    'mobilePhone',
    'secondEmail',
    'primaryPhone',
    'countryCode',
    'zipCode',
  ]),
  preset('generic-hr', genericHr, [
    'Employee ID',
    'First Name',
    'Last Name',
    'Preferred Name',
    'Work Email',
    'Job Title',
    'Department',
    'Manager Employee ID',
    'Employment Status',
    'Hire Date',
    'Termination Date',
    'Location',
    'Cost Center',
    'Phone',
  ]),
  preset('scim-porter-export', scimPorterExport, []),
];

/** The preset with this id. */
export function getPreset(id: string): MappingPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * The preset whose identifying headers `headers` has most of (at least 60% of them), with that
 * fraction; undefined when none fits. `scim-porter-export` is never returned here (see
 * `suggest.ts`, which recognises SCIM attribute paths).
 */
export function detectPreset(
  headers: readonly string[],
): { preset: MappingPreset; score: number } | undefined {
  const have = new Set(headers.map((h) => h.trim().toLowerCase()));
  let best: { preset: MappingPreset; score: number } | undefined;
  for (const p of PRESETS) {
    if (p.headers.length === 0) continue;
    const hits = p.headers.filter((h) => have.has(h.toLowerCase())).length;
    const score = hits / p.headers.length;
    if (score >= 0.6 && (!best || score > best.score)) best = { preset: p, score };
  }
  return best;
}

/**
 * Lines to skip before the header row, judged from a file's first line: 1 for the Microsoft Entra
 * template's `version:v1.0` line, else 0. For CSV readers that sniff files before a mapping is
 * chosen.
 */
export function leadingLinesToSkip(firstLine: string): number {
  return /^\s*"?version:v\d+(\.\d+)*"?\s*(,\s*)*$/i.test(firstLine.replace(/^\uFEFF/, '')) ? 1 : 0;
}
