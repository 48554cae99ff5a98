/** The built-in sandbox SCIM server (public surface). */
export { startSandbox, type SandboxHandle, type SandboxOptions } from './server';
export { createSandboxHandler, SANDBOX_BASE_PATH } from './handler';
export {
  DEFAULT_SANDBOX_FEATURES,
  resolveFeatures,
  serviceProviderConfig,
  type SandboxFeatures,
} from './features';
export {
  createSandboxStore,
  type SandboxStore,
  type StoredRecord,
  type WriteOptions,
} from './store';
export { seedDemoData } from './seed';
export { SANDBOX_SCHEMAS, SANDBOX_RESOURCE_TYPES, type SandboxResourceType } from './schemas';
