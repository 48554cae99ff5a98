/** Built-in copy of the RFC 7643 §8.7.1 core Group schema, used when a server publishes no /Schemas. */
import type { ScimSchema } from '../types';
import { URN } from '../urns';
import { attr, str } from './attribute';

const immutable = { mutability: 'immutable' } as const;

/** `urn:ietf:params:scim:schemas:core:2.0:Group` (RFC 7643 §4.2, §8.7.1). */
export const GROUP_SCHEMA: ScimSchema = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', 'A human-readable name for the Group.'),
    attr('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: [
        str('value', 'Identifier of the member of this Group.', immutable),
        attr(
          '$ref',
          'reference',
          'The URI corresponding to a SCIM resource that is a member of this Group.',
          {
            ...immutable,
            referenceTypes: ['User', 'Group'],
          },
        ),
        // Not in §8.7.1 but used by the RFC's own examples (§8.4) and by most servers.
        str('display', 'A human-readable name, primarily used for display purposes.', {
          mutability: 'readOnly',
        }),
        str('type', "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          ...immutable,
          canonicalValues: ['User', 'Group'],
        }),
      ],
    }),
  ],
};
