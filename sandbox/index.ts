/** The built-in sandbox SCIM server (public surface: start it, stop it through its handle). */
export { startSandbox, type SandboxHandle } from './server';
