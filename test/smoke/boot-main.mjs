// Boots the built main bundle (out/main/index.js) under plain Node with the electron stub and
// checks what it wired: window hardening, IPC handlers = contract channels, guards, paths.
// Run: node --import ./test/smoke/register.mjs test/smoke/boot-main.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app } from 'electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const deadline = Date.now() + 20_000;
const stub = () => globalThis.__electronStub;
// Set for the second run (spawned below): a Linux desktop whose safeStorage has no keyring.
const insecureBackend = process.env.SMOKE_SAFE_STORAGE_BACKEND;

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

/**
 * The page comes from app://scim-porter, a privileged scheme registered before 'ready' and served
 * from out/renderer only (item 18/19 of Electron's checklist: no file:// page).
 */
async function checkAppProtocol(s, win) {
  assert.deepEqual(s.privilegedSchemes, [
    {
      schemes: [
        { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      ],
      beforeReady: true,
    },
  ]);
  assert.equal(win.loaded, 'app://scim-porter/index.html', 'the window does not load app://');
  assert.deepEqual(
    s.calls.filter((c) => c[0] === 'loadURL' || c[0] === 'loadFile'),
    [['loadURL', 'app://scim-porter/index.html']],
  );
  const handler = s.protocolHandlers.get('app');
  assert.ok(handler, 'no app:// handler');
  const get = (url) => handler(new Request(url));
  const page = await get('app://scim-porter/index.html');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
  const html = await page.text();
  assert.match(html, /<div id="root">/);
  const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, 'no script in index.html');
  const js = await get(`app://scim-porter/${script}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  for (const outside of [
    'app://scim-porter/%2e%2e/%2e%2e/package.json',
    'app://scim-porter/..%2f..%2fpackage.json',
    'app://other-host/index.html',
    'app://scim-porter/missing.js',
  ]) {
    assert.equal((await get(outside)).status, 404, `${outside} was served`);
  }
}

/** Second run: safeStorage on `basic_text` must be reported as insecure and keep no secrets file. */
async function checkInsecureBackend(s, win) {
  const trusted = { sender: win.webContents, senderFrame: { url: win.loaded, parent: null } };
  // Packaged (this run): ELECTRON_RENDERER_URL is set but ignored; the window shows its own page.
  assert.equal(process.env.ELECTRON_RENDERER_URL, 'http://127.0.0.1:9/evil', 'run misconfigured');
  assert.equal(win.loaded, 'app://scim-porter/index.html', 'a packaged app loaded another page');
  assert.equal(s.session.headers === undefined, false);
  let headers;
  s.session.headers({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
  assert.doesNotMatch(headers['Content-Security-Policy'][0], /127\.0\.0\.1:9/);
  const info = await s.handlers.get('app:info')(trusted, {});
  assert.equal(info.ok, true, JSON.stringify(info));
  assert.equal(info.value.secretStorage.secure, false, 'basic_text reported as secure');
  assert.equal(info.value.secretStorage.backend, `memory (${insecureBackend})`);
  assert.match(info.value.secretStorage.warning ?? '', /keyring/);
  assert.equal(existsSync(resolve(s.userData, 'secrets.json')), false, 'secrets.json written');
  app.quit();
  await until('engine disposal', () => s.calls.filter((c) => c[0] === 'quit').length >= 2);
  assert.ok(
    s.utilityProcesses.every((p) => p.pid === undefined),
    'the engine outlived the app',
  );
  process.stdout.write(
    `main smoke ok: packaged app ignored ELECTRON_RENDERER_URL; safeStorage '${insecureBackend}' reported as not secure\n`,
  );
}

try {
  await import(pathToFileURL(resolve(root, 'out/main/index.js')).href);
  await until('the window', () => stub()?.windows.length === 1);
  await until('the IPC handlers', () => stub().handlers.size > 0);
  const s = stub();
  if (insecureBackend !== undefined) {
    await checkInsecureBackend(s, s.windows[0]);
    rmSync(s.userData, { recursive: true, force: true });
    process.exit(0);
  }
  const win = s.windows[0];
  const prefs = win.options.webPreferences;

  assert.equal(prefs.contextIsolation, true, 'contextIsolation');
  assert.equal(prefs.sandbox, true, 'sandbox');
  assert.equal(prefs.nodeIntegration, false, 'nodeIntegration');
  assert.equal(prefs.webviewTag, false, 'webviewTag');
  assert.ok(existsSync(prefs.preload), `preload missing: ${prefs.preload}`);
  assert.ok(prefs.preload.endsWith('out/preload/index.cjs'), prefs.preload);
  await checkAppProtocol(s, win);
  assert.deepEqual(
    s.calls.find((c) => c[0] === 'getPath'),
    ['getPath', 'userData'],
  );

  // The engine runs in its own process: main forked the built engine bundle as a utility process.
  const engineBundle = resolve(root, 'out/main/engine.js');
  assert.deepEqual(
    s.calls.filter((c) => c[0] === 'utilityProcess.fork'),
    [['utilityProcess.fork', engineBundle, 'SCIM Porter engine']],
  );
  const enginePid = s.utilityProcesses[0].pid;
  assert.ok(enginePid && enginePid !== process.pid, 'the engine is not in its own process');

  // IPC handlers are exactly the contract channels, plus the preload's own `files:dropped`.
  assert.deepEqual([...s.handlers.keys()].sort(), [...contractChannels(), 'files:dropped'].sort());

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
  for (const elsewhere of [
    pathToFileURL(resolve(root, 'out/renderer/index.html')).href,
    'file:///etc/passwd',
    'app://other-host/index.html',
  ]) {
    prevented = false;
    win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, elsewhere);
    assert.equal(prevented, true, `navigation to ${elsewhere} was not blocked`);
  }
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
  // Every permission Electron 45 knows is refused, except clipboard writes from our own page's
  // top frame (the "copy raw answer" button): requests and checks alike.
  const permissions = JSON.parse(
    readFileSync(resolve(root, 'test/fixtures/electron-permissions.json'), 'utf8'),
  );
  const request = (permission, details) => {
    let granted;
    s.session.permissionRequest(win.webContents, permission, (g) => (granted = g), details);
    assert.equal(typeof granted, 'boolean', `no answer to a ${permission} request`);
    return granted;
  };
  const ours = { requestingUrl: win.loaded, isMainFrame: true };
  for (const permission of permissions) {
    const expected = permission === 'clipboard-sanitized-write';
    assert.equal(request(permission, ours), expected, `${permission} request`);
    assert.equal(
      s.session.permissionCheck(win.webContents, permission, 'app://scim-porter', ours),
      expected,
      `${permission} check`,
    );
  }
  for (const details of [
    { requestingUrl: 'https://evil.example/', isMainFrame: true },
    { requestingUrl: win.loaded, isMainFrame: false },
  ]) {
    assert.equal(request('clipboard-sanitized-write', details), false, JSON.stringify(details));
  }
  assert.equal(
    s.session.devicePermission({ deviceType: 'usb', origin: 'app://scim-porter' }),
    false,
  );
  assert.ok(
    s.calls.some((c) => c[0] === 'enableSandbox'),
    'app.enableSandbox() not called',
  );

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

  // Native dialogs go through Electron's dialog module; a cancel answers null.
  const opened = await s.handlers.get('dialog:open')(trusted, { purpose: 'csv' });
  assert.deepEqual(opened, { ok: true, value: { path: null } });
  assert.ok(
    s.calls.some((c) => c[0] === 'showOpenDialog' && c[1] === 'Open a CSV to import'),
    'the open dialog was not shown',
  );

  // Files: the page may only name a file the admin dropped (reported by the preload) or chose.
  const csv = resolve(s.userData, 'dropped.csv');
  writeFileSync(csv, 'userName\nada@example.com\n');
  const inspect = () => s.handlers.get('import:inspect')(trusted, { path: csv });
  assert.equal((await inspect()).ok, false, 'a file nobody chose was read');
  await s.handlers.get('files:dropped')(iframe, csv);
  assert.equal((await inspect()).ok, false, 'an iframe granted a file');
  await s.handlers.get('files:dropped')(trusted, csv);
  const inspected = await inspect();
  assert.equal(inspected.ok, true, JSON.stringify(inspected));
  assert.equal(inspected.value.diagnostics.rows, 1);

  // An engine process that dies is replaced; the window is told, and requests work again.
  win.webContents.sent.length = 0;
  process.kill(enginePid, 'SIGKILL');
  await until('a new engine process', () => s.utilityProcesses.length === 2);
  const notices = () => win.webContents.sent.filter((m) => m[0] === 'app:notice');
  await until('the restart notice', () => notices().length === 1);
  assert.equal(notices()[0][1].level, 'error');
  const again = await s.handlers.get('app:info')(trusted, {});
  assert.equal(again.ok, true, JSON.stringify(again));
  assert.notEqual(s.utilityProcesses[1].pid, enginePid, 'the same engine process answered');

  // Application menu: built once, the five screens on Ctrl/Cmd+1…5 plus Open CSV on Ctrl/Cmd+O,
  // each sending `app:menu { command }` to the window; zoom, full screen and (unpackaged) devtools.
  assert.ok(s.menuTemplate, 'no application menu was set');
  const items = [];
  const walk = (list) => {
    for (const item of list) {
      items.push(item);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(s.menuTemplate);
  const expectedCommands = [
    ['CmdOrCtrl+1', 'go-connections'],
    ['CmdOrCtrl+2', 'go-import'],
    ['CmdOrCtrl+3', 'go-export'],
    ['CmdOrCtrl+4', 'go-sweep'],
    ['CmdOrCtrl+5', 'go-runs'],
    ['CmdOrCtrl+O', 'open-csv'],
  ];
  for (const [accelerator, command] of expectedCommands) {
    const item = items.find((i) => i.accelerator === accelerator);
    assert.ok(item && typeof item.click === 'function', `no menu item on ${accelerator}`);
    win.webContents.sent.length = 0;
    item.click();
    assert.deepEqual(win.webContents.sent, [['app:menu', { command }]], accelerator);
  }
  const menuRoles = items.map((i) => i.role).filter(Boolean);
  for (const role of [
    'zoomIn',
    'zoomOut',
    'resetZoom',
    'togglefullscreen',
    'toggleDevTools',
    'quit',
    'about',
  ]) {
    assert.ok(menuRoles.includes(role), `menu role ${role} missing`);
  }
  assert.equal(s.aboutPanel?.applicationVersion, '0.1.0', 'About shows no version');

  // Light/dark: the window background follows the OS theme before and after the page loads.
  const { nativeTheme } = await import('electron');
  assert.equal(nativeTheme.themeSource, 'system');
  assert.equal(win.options.backgroundColor, '#14171c', 'dark background before the page loads');
  nativeTheme.shouldUseDarkColors = false;
  nativeTheme.emit('updated');
  assert.equal(win.backgroundColor, '#f6f7f9', 'background did not follow the light theme');

  // Window state: first launch = defaults, centred; moves and resizes are saved (debounced),
  // closing saves at once, and a reopened window comes back where the last one was.
  assert.equal(win.options.width, 1280);
  assert.equal(win.options.height, 840);
  assert.equal(win.options.x, undefined, 'first window should be placed by the OS');
  const stateFile = resolve(s.userData, 'window-state.json');
  const readState = () =>
    existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : undefined;
  win.setBounds({ x: 1990, y: 40, width: 1000, height: 700 });
  win.emit('resize');
  win.emit('move');
  await until('the window state after a resize', () => readState()?.width === 1000);
  assert.deepEqual(readState(), {
    version: 1,
    x: 1990,
    y: 40,
    width: 1000,
    height: 700,
    maximized: false,
  });
  win.setBounds({ width: 1100 });
  win.emit('resize');
  win.close();
  await until('the window state written on close', () => readState()?.width === 1100);
  app.emit('activate');
  await until('a reopened window', () => s.windows.length === 1);
  const reopened = s.windows[0];
  assert.deepEqual(
    [reopened.options.x, reopened.options.y, reopened.options.width, reopened.options.height],
    [1990, 40, 1100, 700],
    'reopened window is not where the last one was',
  );

  // Quit disposes the engine (stops the sandbox server).
  app.quit();
  // main defers the first quit until engine.dispose() settles, then quits again.
  await until('engine disposal', () => s.calls.filter((c) => c[0] === 'quit').length >= 2);
  assert.ok(
    s.utilityProcesses.every((p) => p.pid === undefined),
    'an engine process outlived the app',
  );

  process.stdout.write(
    `main smoke ok: ${s.handlers.size} channels through the engine process, restarted after a crash, window hardened, guards installed, paths exist\n`,
  );
  rmSync(s.userData, { recursive: true, force: true });

  const second = spawnSync(process.execPath, process.execArgv.concat(process.argv.slice(1)), {
    env: {
      ...process.env,
      SMOKE_SAFE_STORAGE_BACKEND: 'basic_text',
      SMOKE_PACKAGED: '1',
      ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/evil',
    },
    stdio: 'inherit',
  });
  process.exit(second.status ?? 1);
} catch (e) {
  process.stderr.write(
    `main smoke FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  const s = stub();
  if (s) rmSync(s.userData, { recursive: true, force: true });
  process.exit(1);
}
