/**
 * Entry point of the engine process (built to out/main/engine.js): an Electron utilityProcess in
 * the app, a Node child process in tests. It serves the engine to main until told to shut down.
 */
import { serveEngine } from './engine-process';
import { connectToParent } from './parent-channel';

await serveEngine(connectToParent(process));
// Open sockets (keep-alive connections, a sandbox client) must not keep a finished engine alive.
process.exit(0);
