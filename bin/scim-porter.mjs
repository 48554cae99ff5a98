#!/usr/bin/env node
// Thin launcher: the CLI is built into out/main/cli.js by `electron-vite build`,
// which `npm ci` / `npm install` run through the "prepare" script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'scim-porter is not built yet. Run "npm run build" (npm ci does it for you).\n',
  );
  process.exit(1);
}
const { runCliInProcess } = await import(bundle.href);
process.exitCode = await runCliInProcess(process.argv.slice(2));
