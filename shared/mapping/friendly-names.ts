/**
 * Friendly names for SCIM attribute paths, for people who think in "Work email" and "Manager",
 * not `emails[type eq "work"].value`. Pure: the mapping editor shows the name first and the path
 * as secondary text; a path this does not know is shown as it is.
 */
import { URN } from '../scim/urns';

/** Core User (and Group) attributes and sub-attributes, lower-cased path → name. */
const CORE: Readonly<Record<string, string>> = {
  id: 'SCIM id',
  externalid: 'External ID',
  username: 'User name',
  name: 'Name',
  'name.formatted': 'Full name',
  'name.givenname': 'First name',
  'name.familyname': 'Last name',
  'name.middlename': 'Middle name',
  'name.honorificprefix': 'Name prefix',
  'name.honorificsuffix': 'Name suffix',
  displayname: 'Display name',
  nickname: 'Nickname',
  profileurl: 'Profile URL',
  title: 'Job title',
  usertype: 'User type',
  preferredlanguage: 'Preferred language',
  locale: 'Locale',
  timezone: 'Time zone',
  active: 'Active',
  password: 'Password',
  emails: 'Email',
  phonenumbers: 'Phone',
  ims: 'Instant messaging',
  photos: 'Photo',
  addresses: 'Address',
  groups: 'Groups',
  entitlements: 'Entitlements',
  roles: 'Roles',
  x509certificates: 'Certificates',
  members: 'Members',
};

/** Enterprise User extension attributes. */
const ENTERPRISE: Readonly<Record<string, string>> = {
  employeenumber: 'Employee number',
  costcenter: 'Cost center',
  organization: 'Organization',
  division: 'Division',
  department: 'Department',
  manager: 'Manager',
  'manager.value': 'Manager',
  'manager.displayname': 'Manager’s name',
};

/** Words for the `type` of a multi-valued attribute. */
const TYPES: Readonly<Record<string, string>> = {
  work: 'Work',
  home: 'Home',
  other: 'Other',
  mobile: 'Mobile',
  fax: 'Fax',
  pager: 'Pager',
};

/** Names of an address's parts. */
const ADDRESS_PARTS: Readonly<Record<string, string>> = {
  formatted: 'address',
  streetaddress: 'street',
  locality: 'city',
  region: 'region',
  postalcode: 'postal code',
  country: 'country',
};

/** Words for the singular, lower-case noun of a typed attribute ("Work email"). */
const NOUNS: Readonly<Record<string, string>> = {
  emails: 'email',
  phonenumbers: 'phone',
  ims: 'instant messaging',
  photos: 'photo',
  addresses: 'address',
};

const TYPED_PATH = /^([A-Za-z][\w]*)\[type eq "([^"]*)"\](?:\.([A-Za-z][\w]*))?$/i;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `emails[type eq "work"].value` → "Work email"; `addresses[type eq "work"].locality` → "Work city". */
function typedName(attribute: string, type: string, sub: string | undefined): string | undefined {
  const noun = NOUNS[attribute.toLowerCase()];
  if (!noun) return undefined;
  const kind = TYPES[type.toLowerCase()] ?? capitalise(type);
  const part = sub?.toLowerCase();
  if (part === undefined || part === 'value') return `${kind} ${noun}`;
  if (part === 'primary') return `${kind} ${noun} is primary`;
  if (attribute.toLowerCase() === 'addresses') {
    const name = ADDRESS_PARTS[part];
    return name ? `${kind} ${name}` : undefined;
  }
  if (part === 'display') return `${kind} ${noun} (display)`;
  return undefined;
}

/** A core path (no URN): plain, typed, or `attr.sub` of a multi-valued attribute. */
function corePathName(path: string): string | undefined {
  const plain = CORE[path.toLowerCase()];
  if (plain) return plain;
  const typed = TYPED_PATH.exec(path);
  if (typed?.[1] && typed[2] !== undefined) return typedName(typed[1], typed[2], typed[3]);
  return undefined;
}

/** The friendly name of an attribute path, or undefined when it has none. */
export function friendlyName(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '') return undefined;
  const enterprise = `${URN.enterpriseUser}:`.toLowerCase();
  if (trimmed.toLowerCase().startsWith(enterprise)) {
    return ENTERPRISE[trimmed.slice(enterprise.length).toLowerCase()];
  }
  const core = `${URN.user}:`.toLowerCase();
  if (trimmed.toLowerCase().startsWith(core)) return corePathName(trimmed.slice(core.length));
  if (trimmed.toLowerCase().startsWith('urn:')) return undefined;
  // Bare enterprise names (`department`, `manager`) are how the suggestion and CSV headers write them.
  return corePathName(trimmed) ?? ENTERPRISE[trimmed.toLowerCase()];
}

/** What to show first for a path: its friendly name, or the path itself. */
export function attributeLabel(path: string): string {
  return friendlyName(path) ?? path;
}
