/** The app version, kept in step with package.json by a unit test. */
export const ENGINE_VERSION = '0.1.0';

/** Sent on every request so server admins can tell SCIM Porter's traffic apart. */
export const USER_AGENT = `SCIM-Porter/${ENGINE_VERSION}`;
