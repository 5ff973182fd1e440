/**
 * Electron bootstrap: the thin shell around the services. Starts the composition root, opens
 * one hardened window, serves the contract over IPC and stops the services (flushing SQLite)
 * before the app quits. All logic worth testing lives in security.ts / ipc.ts.
 */
import { BrowserWindow, app, dialog, ipcMain, net, protocol, session } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../../core/contract/contract';
import { startPairDeskApp } from '../app/pairDeskApp';
import type { PairDeskApp } from '../app/pairDeskApp';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, serveRenderer } from './appProtocol';
import { forwardContractEvents, registerContractHandlers } from './ipc';
import { resolveNativeBinding } from './nativeBinding';
import { createElectronPlatform } from './platform';
import { persistWindowBounds, restoredBounds } from './windowState';
import {
  createMainWindowOptions,
  cspForAppUrl,
  guardAllWebContents,
  guardSession,
} from './security';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const STOP_TIMEOUT_MS = 10_000;

const log = (message: string): void => console.log(`[pairdesk] ${message}`);

/** The page to load: the vite dev server in `electron-vite dev`, else the built index.html. */
function resolveAppUrl(): string {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devUrl && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(devUrl)) {
    return new URL(devUrl).href;
  }
  return APP_ENTRY_URL;
}

/** PAIRDESK_SOURCE=live|demo|replay overrides the source stored in the settings. */
function resolveSource(): SourceKind | undefined {
  const requested = process.env['PAIRDESK_SOURCE'];
  return requested === 'live' || requested === 'demo' || requested === 'replay'
    ? requested
    : undefined;
}

const appUrl = resolveAppUrl();
let mainWindow: BrowserWindow | null = null;
let services: Promise<PairDeskApp | null> = Promise.resolve(null);
let shutdown: 'running' | 'stopping' | 'done' = 'running';

function createWindow(pairdesk: PairDeskApp): BrowserWindow {
  const icon = join(app.getAppPath(), 'resources', 'icon.png');
  const saved = pairdesk.services.settings.layout.window;
  const window = new BrowserWindow({
    ...createMainWindowOptions({
      preloadPath: join(here, '..', 'preload', 'index.cjs'),
      ...(existsSync(icon) ? { iconPath: icon } : {}),
    }),
    ...restoredBounds(saved),
  });
  persistWindowBounds(window, pairdesk.services, 500, log);
  window.once('ready-to-show', () => {
    if (saved?.maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window
    .loadURL(appUrl)
    .catch((error: unknown) => log(`failed to load ${appUrl}: ${String(error)}`));
  mainWindow = window;
  return window;
}

async function boot(): Promise<PairDeskApp> {
  const csp = cspForAppUrl(appUrl);
  guardSession(session.defaultSession, csp, log);
  // Registered even in dev mode (harmless there); must precede the window's loadURL.
  // The built renderer, out/renderer under the app path (the project root in development,
  // app.asar when packaged), is served as app://renderer/ — never as file://.
  const rendererDir = join(app.getAppPath(), 'out', 'renderer');
  serveRenderer(protocol, { rendererDir, fetchFile: (url) => net.fetch(url), csp, log });
  // PAIRDESK_DATA_DIR moves the database, as it does for the CLI (tests, portable installs).
  const dataDir = process.env['PAIRDESK_DATA_DIR'] || app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, 'pairdesk.db');
  const nativeBinding = resolveNativeBinding({
    env: process.env,
    projectRoot: app.getAppPath(),
    electronVersion: process.versions.electron ?? '',
    isPackaged: app.isPackaged,
  });
  log(`database ${dbFile}${nativeBinding ? ` (native binding ${nativeBinding})` : ''}`);
  const pairdesk = await startPairDeskApp({
    dbFile,
    nativeBinding,
    source: resolveSource(),
    // Uploads, exports and reject reports live in the user-data folder, beside the database.
    dataDir,
    platform: createElectronPlatform(() => mainWindow),
  });
  const getMainWindow = (): BrowserWindow | null => mainWindow;
  registerContractHandlers({
    ipcMain,
    host: pairdesk.host,
    getMainWindow,
    getAppUrl: () => appUrl,
    log,
  });
  forwardContractEvents(pairdesk.host, getMainWindow);
  createWindow(pairdesk);
  return pairdesk;
}

async function stopServices(): Promise<void> {
  const pairdesk = await services.catch(() => null);
  if (!pairdesk) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log(`services did not stop within ${STOP_TIMEOUT_MS} ms; quitting anyway`);
      resolve();
    }, STOP_TIMEOUT_MS);
  });
  try {
    await Promise.race([pairdesk.stop(), timeout]);
  } catch (error) {
    log(`error while stopping: ${String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Privileges can only be granted before `ready`.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  guardAllWebContents(app, () => appUrl, log);

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('before-quit', (event) => {
    if (shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'stopping') return;
    shutdown = 'stopping';
    void stopServices().finally(() => {
      shutdown = 'done';
      app.quit();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (mainWindow || shutdown !== 'running') return;
    void services.then((pairdesk) => {
      if (pairdesk && !mainWindow) createWindow(pairdesk);
    });
  });

  services = app.whenReady().then(boot);
  services.catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`failed to start: ${message}`);
    dialog.showErrorBox('PairDesk could not start', message);
    process.exitCode = 1;
    app.quit();
  });
}
