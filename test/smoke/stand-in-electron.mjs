// What the stand-in "Electron binary" of the first-start test runs (test/integration/first-start):
// `electron .` as electron-vite launches it. Loads the app's package.json main (the built main
// bundle) under the electron stub, waits for the window, and writes what it opened to the file
// named by STAND_IN_REPORT. Run: node --import ./test/smoke/register.mjs stand-in-electron.mjs .
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app } from 'electron';

const appDir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(resolve(appDir, 'package.json'), 'utf8'));
const main = resolve(appDir, pkg.main);
const stub = () => globalThis.__electronStub;
const deadline = Date.now() + 20_000;

async function until(what, check) {
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`stand-in electron: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

try {
  await import(pathToFileURL(main).href);
  await until('the window', () => stub()?.windows.length === 1 && stub().windows[0].loaded);
  await until('the IPC handlers', () => stub().handlers.size > 0);
  const win = stub().windows[0];
  const loaded = win.loaded.startsWith('file:') ? fileURLToPath(win.loaded) : win.loaded;
  // The page is served by the app's own app:// handler: ask it for the page the window loaded.
  const handler = stub().protocolHandlers.get('app');
  const page =
    handler && loaded.startsWith('app:') ? await handler(new Request(loaded)) : undefined;
  const html = page ? await page.text() : '';
  const report = {
    main,
    windows: stub().windows.length,
    title: win.options.title ?? null,
    loaded,
    served: page ? { status: page.status, hasRoot: html.includes('<div id="root">') } : null,
    preload: win.options.webPreferences?.preload ?? null,
    handlers: stub().handlers.size,
  };
  writeFileSync(process.env.STAND_IN_REPORT ?? '/dev/stdout', `${JSON.stringify(report)}\n`);
  app.quit();
  await until('engine disposal', () => stub().calls.filter((c) => c[0] === 'quit').length >= 2);
  rmSync(stub().userData, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  process.stderr.write(`stand-in electron FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
