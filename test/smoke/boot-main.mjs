// Boots the built main bundle (out/main/index.js) under plain Node with the electron stub and
// checks what it wired: window hardening, IPC handlers = contract channels, guards, paths.
// Run: node --import ./test/smoke/register.mjs test/smoke/boot-main.mjs
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app } from 'electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const deadline = Date.now() + 20_000;
const stub = () => globalThis.__electronStub;

async function until(what, check) {
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`smoke: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The channel list is read from the built preload, which embeds channels.ts verbatim.
function contractChannels() {
  const preload = readFileSync(resolve(root, 'out/preload/index.cjs'), 'utf8');
  const list = /CHANNELS\s*=\s*\[([^\]]*)\]/.exec(preload)?.[1];
  assert.ok(list, 'CHANNELS not found in out/preload/index.cjs');
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
}

try {
  await import(pathToFileURL(resolve(root, 'out/main/index.js')).href);
  await until('the window', () => stub()?.windows.length === 1);
  await until('the IPC handlers', () => stub().handlers.size > 0);
  const s = stub();
  const win = s.windows[0];
  const prefs = win.options.webPreferences;

  assert.equal(prefs.contextIsolation, true, 'contextIsolation');
  assert.equal(prefs.sandbox, true, 'sandbox');
  assert.equal(prefs.nodeIntegration, false, 'nodeIntegration');
  assert.equal(prefs.webviewTag, false, 'webviewTag');
  assert.ok(existsSync(prefs.preload), `preload missing: ${prefs.preload}`);
  assert.ok(prefs.preload.endsWith('out/preload/index.cjs'), prefs.preload);
  const page = fileURLToPath(win.loaded);
  assert.ok(existsSync(page), `renderer page missing: ${page}`);
  assert.deepEqual(
    s.calls.find((c) => c[0] === 'getPath'),
    ['getPath', 'userData'],
  );

  // IPC handlers are exactly the contract channels.
  assert.deepEqual([...s.handlers.keys()].sort(), contractChannels());

  // Guards on the window.
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    assert.ok(win.webContents.listenerCount(event) > 0, `${event} guard missing`);
  }
  let prevented = false;
  win.webContents.emit(
    'will-navigate',
    { preventDefault: () => (prevented = true) },
    'https://evil.example/',
  );
  assert.equal(prevented, true, 'navigation to another origin was not blocked');
  prevented = false;
  win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, win.loaded);
  assert.equal(prevented, false, 'navigation to our own page was blocked');
  assert.deepEqual(win.webContents.windowOpenHandler({ url: 'https://example.com' }), {
    action: 'deny',
  });
  assert.ok(app.listenerCount('web-contents-created') > 0, 'web-contents-created guard missing');

  // Session: CSP header and permission handlers.
  assert.ok(s.session.headers, 'CSP header hook missing');
  let headers;
  s.session.headers({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
  assert.match(headers['Content-Security-Policy'][0], /script-src 'self'/);
  assert.ok(
    s.session.permissionRequest && s.session.permissionCheck,
    'permission handlers missing',
  );
  let granted;
  s.session.permissionRequest(win.webContents, 'media', (g) => (granted = g), {
    requestingUrl: win.loaded,
  });
  assert.equal(granted, false, 'media permission was granted');
  assert.equal(s.session.permissionCheck(win.webContents, 'geolocation', win.loaded, {}), false);

  // A trusted call reaches the real engine; an untrusted one is refused.
  const trusted = { sender: win.webContents, senderFrame: { url: win.loaded, parent: null } };
  const info = await s.handlers.get('app:info')(trusted, {});
  assert.equal(info.ok, true, JSON.stringify(info));
  assert.equal(info.value.secretStorage.backend, 'gnome_libsecret');
  assert.equal(info.value.secretStorage.secure, true);
  const list = await s.handlers.get('connections:list')(trusted, {});
  assert.ok(
    list.ok && list.value.some((c) => c.kind === 'sandbox'),
    'Local sandbox profile missing',
  );
  const iframe = { sender: win.webContents, senderFrame: { url: win.loaded, parent: {} } };
  const refused = await s.handlers.get('app:info')(iframe, {});
  assert.equal(refused.ok, false, 'an iframe was trusted');

  // Quit disposes the engine (stops the sandbox server).
  app.quit();
  // main defers the first quit until engine.dispose() settles, then quits again.
  await until('engine disposal', () => s.calls.filter((c) => c[0] === 'quit').length >= 2);

  process.stdout.write(
    `main smoke ok: ${s.handlers.size} channels, window hardened, guards installed, paths exist\n`,
  );
  rmSync(s.userData, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  process.stderr.write(
    `main smoke FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  const s = stub();
  if (s) rmSync(s.userData, { recursive: true, force: true });
  process.exit(1);
}
