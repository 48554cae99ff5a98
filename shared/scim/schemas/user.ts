/** Built-in copy of the RFC 7643 §8.7.1 core User schema, used when a server publishes no /Schemas. */
import type { ScimSchema } from '../types';
import { URN } from '../urns';
import { attr, multiValuedSubs, str } from './attribute';

const readOnly = { mutability: 'readOnly' } as const;

/** `urn:ietf:params:scim:schemas:core:2.0:User` (RFC 7643 §4.1, §8.7.1). */
export const USER_SCHEMA: ScimSchema = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    str(
      'userName',
      'Unique identifier for the User, typically used by the user to directly authenticate to the service provider.',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    attr('name', 'complex', "The components of the user's real name.", {
      subAttributes: [
        str(
          'formatted',
          'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.',
        ),
        str('familyName', 'The family name of the User, or last name in most Western languages.'),
        str('givenName', 'The given name of the User, or first name in most Western languages.'),
        str('middleName', 'The middle name(s) of the User.'),
        str(
          'honorificPrefix',
          "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.').",
        ),
        str(
          'honorificSuffix',
          "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III').",
        ),
      ],
    }),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user in real life.'),
    attr(
      'profileUrl',
      'reference',
      "A fully qualified URL pointing to a page representing the User's online profile.",
      {
        referenceTypes: ['external'],
      },
    ),
    str('title', "The user's title, such as 'Vice President'."),
    str('userType', 'Used to identify the relationship between the organization and the user.'),
    str(
      'preferredLanguage',
      "Indicates the User's preferred written or spoken language (RFC 7231 Accept-Language format).",
    ),
    str(
      'locale',
      "Used to indicate the User's default location for localizing items (e.g., 'en-US').",
    ),
    str(
      'timezone',
      "The User's time zone in the 'Olson' time zone database format (e.g., 'America/Los_Angeles').",
    ),
    attr('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    str('password', "The User's cleartext password, used to set or compare; never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    attr('emails', 'complex', 'Email addresses for the user.', {
      multiValued: true,
      subAttributes: multiValuedSubs('email address', 'string', ['work', 'home', 'other']),
    }),
    attr('phoneNumbers', 'complex', 'Phone numbers for the User.', {
      multiValued: true,
      subAttributes: multiValuedSubs('phone number', 'string', [
        'work',
        'home',
        'mobile',
        'fax',
        'pager',
        'other',
      ]),
    }),
    attr('ims', 'complex', 'Instant messaging addresses for the User.', {
      multiValued: true,
      subAttributes: multiValuedSubs('instant messaging address', 'string', [
        'aim',
        'gtalk',
        'icq',
        'xmpp',
        'msn',
        'skype',
        'qq',
        'yahoo',
      ]),
    }),
    attr('photos', 'complex', 'URLs of photos of the User.', {
      multiValued: true,
      subAttributes: multiValuedSubs('photo', 'reference', ['photo', 'thumbnail'], {
        referenceTypes: ['external'],
      }),
    }),
    attr('addresses', 'complex', 'A physical mailing address for this User.', {
      multiValued: true,
      subAttributes: [
        str(
          'formatted',
          'The full mailing address, formatted for display or use with a mailing label.',
        ),
        str('streetAddress', 'The full street address component.'),
        str('locality', 'The city or locality component.'),
        str('region', 'The state or region component.'),
        str('postalCode', 'The zip code or postal code component.'),
        str('country', 'The country name component (ISO 3166-1 alpha-2).'),
        str('type', "A label indicating the address's function.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        // §8.7.1 omits `primary` here, but §4.1.2 and §2.4 define it for every multi-valued attribute.
        attr(
          'primary',
          'boolean',
          "A Boolean value indicating the 'primary' or preferred address.",
        ),
      ],
    }),
    attr(
      'groups',
      'complex',
      'A list of groups to which the user belongs, either direct or indirect membership.',
      {
        multiValued: true,
        ...readOnly,
        subAttributes: [
          str('value', "The identifier of the User's group.", readOnly),
          attr('$ref', 'reference', "The URI of the corresponding 'Group' resource.", {
            ...readOnly,
            referenceTypes: ['User', 'Group'],
          }),
          str('display', 'A human-readable name, primarily used for display purposes.', readOnly),
          str('type', "A label indicating the attribute's function.", {
            ...readOnly,
            canonicalValues: ['direct', 'indirect'],
          }),
        ],
      },
    ),
    attr(
      'entitlements',
      'complex',
      'A list of entitlements for the User that represent a thing the User has.',
      {
        multiValued: true,
        subAttributes: multiValuedSubs('entitlement', 'string', []),
      },
    ),
    attr(
      'roles',
      'complex',
      'A list of roles for the User that collectively represent who the User is.',
      {
        multiValued: true,
        subAttributes: multiValuedSubs('role', 'string', []),
      },
    ),
    attr('x509Certificates', 'complex', 'A list of certificates issued to the User.', {
      multiValued: true,
      subAttributes: multiValuedSubs('certificate', 'binary', []),
    }),
  ],
};
