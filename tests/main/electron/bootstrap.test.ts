import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  DEFAULT_SETTINGS,
  REQUEST_CHANNELS,
} from '../../../src/core/contract/contract';
import type {
  ContractHost,
  EventEnvelope,
  RequestChannel,
  SessionSnapshot,
} from '../../../src/core/contract/contract';
import { forwardContractEvents, registerContractHandlers } from '../../../src/main/electron/ipc';
import type { InvokeEventLike } from '../../../src/main/electron/ipc';
import {
  createMainWindowOptions,
  cspForAppUrl,
  guardAllWebContents,
  guardSession,
  hardenWebContents,
  isAppUrl,
} from '../../../src/main/electron/security';
import { buildCsp, readCspMeta, withCspMeta } from '../../../src/main/platform/csp';
import {
  FakeApp,
  FakeBrowserWindow,
  FakeEvent,
  FakeIpcMain,
  FakeSession,
  FakeWebContents,
} from './fakeElectron';
import type { FakeFrame } from './fakeElectron';
import { fakeNet } from './fakeElectron';
import { installFakeElectron } from './electronMock';
import { sourceInfo } from '../../support/sourceInfo';

const APP_URL = 'app://renderer/index.html';
const FILE_URL = pathToFileURL('/opt/pairdesk/out/renderer/index.html').href;

const SNAPSHOT: SessionSnapshot = {
  source: sourceInfo({ kind: 'demo', simulated: true, label: 'Simulated market' }),
  settings: { ...DEFAULT_SETTINGS },
  symbols: ['BTCUSDT', 'ETHUSDT'],
  connection: { state: 'live', reason: 'streaming', sinceMs: 1_700_000_000_000 },
  prices: [{ symbol: 'BTCUSDT', price: 65_000.5, timeMs: 1_700_000_000_500 }],
  stats: {
    messagesPerSec: 10,
    lastMessageAgeMs: 20,
    ticksStored: 100,
    rejects: {},
    rejectsTotal: 0,
    dbSizeBytes: 4096,
  },
};

/** A ContractHost that records calls and lets the test push events. */
function fakeHost() {
  const calls: { channel: RequestChannel; request: unknown }[] = [];
  const listeners = new Set<(envelope: EventEnvelope) => void>();
  const host: ContractHost = {
    async handle(channel, request) {
      calls.push({ channel, request });
      if (channel === 'session.snapshot') return SNAPSHOT as never;
      return [] as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (envelope: EventEnvelope) => listeners.forEach((l) => l(envelope));
  return { host, calls, listeners, emit };
}

function windowAt(url: string): FakeBrowserWindow {
  const window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = url;
  return window;
}

function invokeEvent(window: FakeBrowserWindow, frame: FakeFrame = window.webContents.mainFrame) {
  return { sender: window.webContents, senderFrame: frame } satisfies InvokeEventLike;
}

describe('window options', () => {
  const options = createMainWindowOptions({ preloadPath: '/opt/pairdesk/out/preload/index.cjs' });

  it('isolates the page: context isolation, sandbox, no Node integration, web security', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/opt/pairdesk/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  const directives = (csp: string) =>
    new Map(
      csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );

  it('is strict in Electron: own scripts only, no eval, no remote connections', () => {
    const csp = directives(buildCsp('electron'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(buildCsp('electron')).not.toContain('unsafe-eval');
    expect(buildCsp('electron')).not.toContain('ws:');
  });

  it('adds the loopback WebSocket only in browser mode', () => {
    expect(directives(buildCsp('browser')).get('connect-src')).toEqual([
      "'self'",
      'ws://127.0.0.1:*',
    ]);
    expect(directives(buildCsp('browser')).get('script-src')).toEqual(["'self'"]);
  });

  it('index.html carries the Electron policy in its <meta>', () => {
    const html = readFileSync(
      join(import.meta.dirname, '../../../src/renderer/index.html'),
      'utf8',
    );
    expect(readCspMeta(html)).toBe(buildCsp('electron'));
    expect(readCspMeta(withCspMeta(html, buildCsp('dev')))).toBe(buildCsp('dev'));
  });

  it('the header policy is the Electron one for app:// and the dev one for the dev server', () => {
    expect(cspForAppUrl(APP_URL)).toBe(buildCsp('electron'));
    expect(cspForAppUrl('http://localhost:5173/')).toBe(buildCsp('dev'));
  });

  it('is set as a response header, replacing any other, and every permission is denied', () => {
    const session = new FakeSession();
    guardSession(session, buildCsp('electron'));
    let headers: Record<string, string[] | string> | undefined;
    session.headersListener!(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({
      'X-Other': ['1'],
      'Content-Security-Policy': [buildCsp('electron')],
    });

    const granted: boolean[] = [];
    session.permissionRequestHandler!({}, 'media', (g) => granted.push(g));
    session.permissionRequestHandler!({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(session.permissionCheckHandler!({}, 'clipboard-read')).toBe(false);
  });
});

describe('navigation and window.open', () => {
  it('recognises only the app page', () => {
    expect(isAppUrl(APP_URL, APP_URL)).toBe(true);
    expect(isAppUrl(`${APP_URL}#/pairs`, APP_URL)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', APP_URL)).toBe(false);
    // file:// is never the app page, not even the built index.html itself.
    expect(isAppUrl(FILE_URL, APP_URL)).toBe(false);
    expect(isAppUrl(FILE_URL, FILE_URL)).toBe(false);
    expect(isAppUrl('app://renderer/other.html', APP_URL)).toBe(false);
    expect(isAppUrl('app://evil/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('https://example.com/', APP_URL)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', APP_URL)).toBe(false);
  });

  it('denies navigation away, redirects, <webview> and every window.open', () => {
    const contents = new FakeWebContents();
    const blocked: string[] = [];
    hardenWebContents(
      contents,
      () => APP_URL,
      (m) => blocked.push(m),
    );

    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate(FILE_URL)).toBe(false);
    expect(contents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
    expect(contents.navigate(APP_URL)).toBe(true); // reload of the same page

    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);

    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler!({ url: APP_URL })).toEqual({ action: 'deny' });
    expect(blocked.length).toBeGreaterThanOrEqual(5);
  });

  it('denies navigation before the app URL is known', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents, () => null);
    expect(contents.navigate(APP_URL)).toBe(false);
  });

  it('guards every web contents the app creates', () => {
    const app = new FakeApp('/u', '/a');
    guardAllWebContents(app, () => APP_URL);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });
});

describe('IPC handlers', () => {
  let ipcMain: FakeIpcMain;
  let window: FakeBrowserWindow | null;
  let hostParts: ReturnType<typeof fakeHost>;
  const log: string[] = [];

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    window = windowAt(APP_URL);
    hostParts = fakeHost();
    log.length = 0;
    registerContractHandlers({
      ipcMain,
      host: hostParts.host,
      getMainWindow: () => window,
      getAppUrl: () => APP_URL,
      log: (m) => log.push(m),
    });
  });

  it('registers exactly one handler per contract channel', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      REQUEST_CHANNELS.map((c) => IPC_INVOKE_PREFIX + c).sort(),
    );
  });

  it('serves a good payload from the main frame through the host', async () => {
    const w = window!;
    await expect(
      ipcMain.invoke(`${IPC_INVOKE_PREFIX}session.snapshot`, invokeEvent(w), null),
    ).resolves.toEqual(SNAPSHOT);
    const request = { symbol: 'BTCUSDT', timeframe: '1m', limit: 500 };
    await expect(
      ipcMain.invoke(`${IPC_INVOKE_PREFIX}bars.history`, invokeEvent(w), request),
    ).resolves.toEqual([]);
    expect(hostParts.calls).toEqual([
      { channel: 'session.snapshot', request: null },
      { channel: 'bars.history', request },
    ]);
  });

  it('refuses a handler call from a foreign frame', async () => {
    const w = window!;
    const iframe: FakeFrame = { url: APP_URL, processId: 7, routingId: 999 };
    await expect(
      ipcMain.invoke(`${IPC_INVOKE_PREFIX}session.snapshot`, invokeEvent(w, iframe), null),
    ).rejects.toThrow(/refused "session.snapshot": sender is not the main frame/);
    expect(hostParts.calls).toEqual([]);
    expect(log.join('\n')).toContain('refused');
  });

  it('refuses other windows, a main frame that left the app page, and a missing window', async () => {
    const channel = `${IPC_INVOKE_PREFIX}session.snapshot`;
    const other = windowAt(APP_URL);
    await expect(ipcMain.invoke(channel, invokeEvent(other), null)).rejects.toThrow(
      /sender is not the main window/,
    );

    const w = window!;
    w.webContents.mainFrame.url = 'https://evil.example/';
    await expect(ipcMain.invoke(channel, invokeEvent(w), null)).rejects.toThrow(
      /sender URL not allowed: https:\/\/evil.example\//,
    );
    await expect(
      ipcMain.invoke(channel, { sender: w.webContents, senderFrame: null }, null),
    ).rejects.toThrow(/sender frame is gone/);

    window = null;
    await expect(ipcMain.invoke(channel, invokeEvent(w), null)).rejects.toThrow(/no main window/);
    expect(hostParts.calls).toEqual([]);
  });

  it.each([
    [{ symbol: 'btcusdt', timeframe: '1m', limit: 10 }, /symbol: symbol must be 2-30 upper-case/],
    [{ symbol: 'BTCUSDT', timeframe: '2m', limit: 10 }, /timeframe:/],
    [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 0 }, /limit: Too small/],
    [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 100_001 }, /limit: Too big/],
    [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 1.5 }, /limit: .*int/i],
    [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 10, sql: 'drop' }, /Unrecognized key: "sql"/],
    [{ symbol: 'BTCUSDT', timeframe: '1m' }, /limit:/],
    ['BTCUSDT', /request: /],
    [null, /expected object/],
  ])('refuses bars.history payload %j with a clear message', async (payload, message) => {
    const promise = ipcMain.invoke(
      `${IPC_INVOKE_PREFIX}bars.history`,
      invokeEvent(window!),
      payload,
    );
    await expect(promise).rejects.toThrow(/^Invalid request for "bars.history": /);
    await expect(promise).rejects.toThrow(message);
    expect(hostParts.calls).toEqual([]);
  });

  it('refuses a non-null snapshot request and a missing or extra argument', async () => {
    const channel = `${IPC_INVOKE_PREFIX}session.snapshot`;
    await expect(ipcMain.invoke(channel, invokeEvent(window!), {})).rejects.toThrow(
      /Invalid request for "session.snapshot": request: .*expected null/,
    );
    await expect(ipcMain.invoke(channel, invokeEvent(window!))).rejects.toThrow(
      /expected exactly one payload argument/,
    );
    await expect(ipcMain.invoke(channel, invokeEvent(window!), null, 'extra')).rejects.toThrow(
      /expected exactly one payload argument/,
    );
    expect(hostParts.calls).toEqual([]);
  });

  it('unregisters every handler on dispose', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerContractHandlers({
      ipcMain: ipc,
      host: fakeHost().host,
      getMainWindow: () => null,
      getAppUrl: () => APP_URL,
    });
    expect(ipc.handlers.size).toBe(REQUEST_CHANNELS.length);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('event forwarding', () => {
  it('sends host events to the live window and drops them otherwise', () => {
    const { host, emit, listeners } = fakeHost();
    let window: FakeBrowserWindow | null = null;
    const unsubscribe = forwardContractEvents(host, () => window);
    const envelope: EventEnvelope = { event: 'connection', payload: SNAPSHOT.connection };

    emit(envelope); // no window yet: dropped
    window = windowAt(APP_URL);
    emit(envelope);
    expect(window.webContents.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, args: [envelope] }]);

    window.webContents.destroyed = true;
    emit(envelope);
    expect(window.webContents.sent).toHaveLength(1);

    unsubscribe();
    expect(listeners.size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The bootstrap itself (src/main/electron/main.ts) against the fake `electron` module.

const startPairDeskApp = vi.hoisted(() => vi.fn());

vi.mock('electron', async () => (await import('./electronMock')).electronModule);
vi.mock('../../../src/main/app/pairDeskApp', () => ({ startPairDeskApp }));

async function loadBootstrap(prepare?: (fake: ReturnType<typeof installFakeElectron>) => void) {
  vi.resetModules();
  const fake = installFakeElectron();
  prepare?.(fake);
  await import('../../../src/main/electron/main');
  return fake;
}

describe('bootstrap (main.ts) with a fake electron', () => {
  beforeEach(() => {
    startPairDeskApp.mockReset();
    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    vi.stubEnv('PAIRDESK_SOURCE', '');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('starts the services, opens one hardened window, serves IPC and stops before quitting', async () => {
    const parts = fakeHost();
    let stopped = false;
    let releaseStop: (() => void) | null = null;
    const settingsUpdates: unknown[] = [];
    const services = {
      settings: {
        ...DEFAULT_SETTINGS,
        layout: {
          sidebarWidth: 300,
          window: { x: 5, y: 6, width: 1000, height: 700, maximized: false },
        },
      },
      updateSettings: async (patch: unknown) => {
        settingsUpdates.push(patch);
        return services.settings;
      },
    };
    startPairDeskApp.mockResolvedValue({
      host: parts.host,
      services,
      stop: () =>
        new Promise<void>((resolve) => {
          releaseStop = () => {
            stopped = true;
            resolve();
          };
        }),
    });
    const binding = join(mkdtempSync(join(tmpdir(), 'pairdesk-binding-')), 'better_sqlite3.node');
    writeFileSync(binding, '');
    vi.stubEnv('PAIRDESK_NATIVE_BINDING', binding);

    const fake = await loadBootstrap();
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect(startPairDeskApp).not.toHaveBeenCalled(); // waits for ready

    fake.app.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));

    expect(startPairDeskApp).toHaveBeenCalledWith({
      dbFile: join(fake.app.getPath('userData'), 'pairdesk.db'),
      nativeBinding: binding,
      source: undefined, // the source stored in the settings
      // Uploads, exports and reject reports beside the database.
      dataDir: fake.app.getPath('userData'),
      platform: expect.objectContaining({
        notifier: expect.anything(),
        saveDialog: expect.anything(),
        openDialog: expect.anything(),
      }),
    });

    const window = fake.windows[0]!;
    // The window comes back where the user left it, and its new place is saved on close.
    expect(window.options).toMatchObject({ x: 5, y: 6, width: 1000, height: 700 });
    window.bounds = { x: 100, y: 120, width: 1111, height: 777 };
    window.emit('close');
    expect(settingsUpdates).toContainEqual({
      layout: {
        sidebarWidth: 300,
        window: { x: 100, y: 120, width: 1111, height: 777, maximized: false },
      },
    });
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    expect(window.loadedUrl).toBe('app://renderer/index.html');
    expect(fake.defaultSession.headersListener).not.toBeNull();

    // The app-wide guard hardens the window's contents.
    fake.app.emit('web-contents-created', {}, window.webContents);
    expect(window.webContents.navigate('https://evil.example/')).toBe(false);

    // IPC: every channel, sender-checked.
    expect(fake.ipcMain.handlers.size).toBe(REQUEST_CHANNELS.length);
    await expect(
      fake.ipcMain.invoke(`${IPC_INVOKE_PREFIX}session.snapshot`, invokeEvent(window), null),
    ).resolves.toEqual(SNAPSHOT);

    // Events reach the window.
    parts.emit({ event: 'prices', payload: SNAPSHOT.prices });
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: IPC_EVENT_CHANNEL,
      args: [{ event: 'prices', payload: SNAPSHOT.prices }],
    });

    // Graceful quit: the first quit is held until stop() resolves, then quits for real.
    const quitDone = vi.fn();
    fake.app.on('quit-done', quitDone);
    fake.app.quit();
    expect(quitDone).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(releaseStop).not.toBeNull()); // stop() is running
    fake.app.quit(); // a second request while stopping is also held
    expect(quitDone).not.toHaveBeenCalled();
    expect(stopped).toBe(false);
    releaseStop!();
    await vi.waitFor(() => expect(quitDone).toHaveBeenCalledTimes(1));
    expect(stopped).toBe(true);
  });

  /** Services that start and stop at once, for the tests below. */
  function resolvedServices() {
    startPairDeskApp.mockResolvedValue({
      host: fakeHost().host,
      services: { settings: { ...DEFAULT_SETTINGS }, updateSettings: async () => DEFAULT_SETTINGS },
      stop: async () => undefined,
    });
  }

  it('serves the renderer as app://renderer/ from the app path, and nothing outside it', async () => {
    resolvedServices();
    const fake = await loadBootstrap();
    // Privileged before ready (the fake protocol throws after it), the handler only after.
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.protocol.handlers.size).toBe(0);

    const rendererDir = join(fake.app.getAppPath(), 'out', 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>PairDesk</title>');
    writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
    // Siblings of the renderer folder that traversal must not reach.
    writeFileSync(join(fake.app.getAppPath(), 'out', 'secret.txt'), 'secret');
    mkdirSync(`${rendererDir}-evil`, { recursive: true });
    writeFileSync(join(`${rendererDir}-evil`, 'x.js'), 'evil');

    fake.app.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(fake.windows[0]!.loadedUrl).toBe('app://renderer/index.html');
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);

    const page = await fake.protocol.request('app://renderer/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(page.headers.get('content-security-policy')).toBe(buildCsp('electron'));
    expect(await page.text()).toContain('<title>PairDesk</title>');
    const script = await fake.protocol.request('app://renderer/assets/index.js?v=1#x');
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('console.log(1)');
    expect((await fake.protocol.request('app://renderer/')).status).toBe(200); // index.html

    const refused = async (url: string) => (await fake.protocol.request(url)).status;
    // Literal dot segments are collapsed by the URL parser: /etc/passwd inside the folder.
    expect(await refused('app://renderer/../../etc/passwd')).toBe(404);
    expect(await refused('app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe(404);
    // Encoded separators survive parsing and are caught by the containment check.
    expect(await refused('app://renderer/..%2f..%2f..%2fetc%2fpasswd')).toBe(403);
    expect(await refused('app://renderer/..%2fsecret.txt')).toBe(403);
    expect(await refused('app://renderer/..%2frenderer-evil%2fx.js')).toBe(403);
    expect(await refused('app://renderer/..%5c..%5csecret.txt')).toBe(403);
    expect(await refused('app://renderer/%252e%252e%252fsecret.txt')).toBe(404); // decoded once
    expect(await refused('app://renderer/assets')).toBe(404); // a folder
    expect(await refused('app://renderer/missing.js')).toBe(404);
    expect(await refused('app://other/index.html')).toBe(404);
    expect(await refused('app://renderer/%E0%A4%A')).toBe(400);
    expect((await fake.protocol.request(APP_URL, { method: 'POST', body: 'x' })).status).toBe(405);
    // Only files inside the renderer folder were ever read.
    for (const url of fakeNet.fetched)
      expect(url.startsWith(pathToFileURL(rendererDir).href + '/')).toBe(true);

    // The guard now accepts the app:// page and nothing on file://.
    fake.app.emit('web-contents-created', {}, fake.windows[0]!.webContents);
    expect(fake.windows[0]!.webContents.navigate('app://renderer/index.html')).toBe(true);
    expect(
      fake.windows[0]!.webContents.navigate(pathToFileURL(join(rendererDir, 'index.html')).href),
    ).toBe(false);
  });

  it('loads the dev server in `electron-vite dev`, with the dev CSP', async () => {
    resolvedServices();
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    const fake = await loadBootstrap();
    fake.app.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(fake.windows[0]!.loadedUrl).toBe('http://localhost:5173/');
    fake.app.emit('web-contents-created', {}, fake.windows[0]!.webContents);
    expect(fake.windows[0]!.webContents.navigate('http://localhost:5173/')).toBe(true);
    expect(fake.windows[0]!.webContents.navigate('app://renderer/index.html')).toBe(false);
    let headers: Record<string, string[] | string> | undefined;
    fake.defaultSession.headersListener!({}, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [buildCsp('dev')] });
  });

  it('ignores PAIRDESK_NATIVE_BINDING and ELECTRON_RENDERER_URL when packaged', async () => {
    resolvedServices();
    const binding = join(mkdtempSync(join(tmpdir(), 'pairdesk-binding-')), 'better_sqlite3.node');
    writeFileSync(binding, '');
    vi.stubEnv('PAIRDESK_NATIVE_BINDING', binding);
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    const fake = await loadBootstrap((f) => {
      f.app.isPackaged = true;
    });
    fake.app.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(startPairDeskApp).toHaveBeenCalledWith(
      expect.objectContaining({ nativeBinding: undefined }),
    );
    expect(fake.windows[0]!.loadedUrl).toBe('app://renderer/index.html');
  });

  it('reports a start failure and quits', async () => {
    startPairDeskApp.mockRejectedValue(new Error('database is locked'));
    const fake = await loadBootstrap();
    const quitDone = vi.fn();
    fake.app.on('quit-done', quitDone);
    fake.app.fireReady();
    await vi.waitFor(() => expect(quitDone).toHaveBeenCalled());
    expect(fake.errorBoxes).toEqual([
      { title: 'PairDesk could not start', content: 'database is locked' },
    ]);
    expect(fake.windows).toHaveLength(0);
    process.exitCode = 0;
  });

  it('quits at once when another instance holds the lock', async () => {
    const fake = await loadBootstrap((f) => {
      f.app.gotLock = false;
    });
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.app.listenerCount('web-contents-created')).toBe(0);
    fake.app.fireReady();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(startPairDeskApp).not.toHaveBeenCalled();
  });
});
