/** Wire-level SCIM shapes (RFC 7643/7644, RFC 9865), normalised by the engine's quirks layer. */

export type ScimMeta = {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  location?: string;
  version?: string;
};

/** Any SCIM resource: Users, Groups, or a discovered type. Attributes beyond the core are open. */
export type ScimResource = {
  schemas: string[];
  id?: string;
  externalId?: string;
  meta?: ScimMeta;
  [attribute: string]: unknown;
};

export type PatchOpKind = 'add' | 'remove' | 'replace';

export type PatchOperation = {
  op: PatchOpKind;
  path?: string;
  value?: unknown;
};

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type BulkOperation = {
  method: BulkMethod;
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
};

/** The parts of /ServiceProviderConfig a client acts on, normalised (RFC 7643 §5, RFC 9865 §4). */
export type ServiceProviderCapabilities = {
  patch: { supported: boolean };
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  filter: { supported: boolean; maxResults: number };
  changePassword: { supported: boolean };
  sort: { supported: boolean };
  etag: { supported: boolean };
  pagination: {
    cursor: boolean;
    index: boolean;
    defaultPaginationMethod?: 'cursor' | 'index';
    defaultPageSize?: number;
    maxPageSize?: number;
    cursorTimeout?: number;
  };
  authenticationSchemes: { type: string; name: string; description?: string; primary?: boolean }[];
};

export type SchemaAttribute = {
  name: string;
  type:
    'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
  multiValued: boolean;
  description?: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: SchemaAttribute[];
};

export type ScimSchema = {
  id: string;
  name?: string;
  description?: string;
  attributes: SchemaAttribute[];
};

export type ResourceTypeInfo = {
  id?: string;
  name: string;
  endpoint: string;
  description?: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
};
