/** Built-in copy of the RFC 7643 §8.7.1 Enterprise User extension schema. */
import type { ScimSchema } from '../types';
import { URN } from '../urns';
import { attr, str } from './attribute';

/** `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` (RFC 7643 §4.3, §8.7.1). */
export const ENTERPRISE_USER_SCHEMA: ScimSchema = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str(
      'employeeNumber',
      'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    ),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    attr('manager', 'complex', "The User's manager.", {
      subAttributes: [
        str('value', "The id of the SCIM resource representing the User's manager."),
        attr('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", {
          referenceTypes: ['User'],
        }),
        str('displayName', "The displayName of the User's manager.", { mutability: 'readOnly' }),
      ],
    }),
  ],
};
