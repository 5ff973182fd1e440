/**
 * The Electron security baseline as plain functions over the few Electron pieces they touch,
 * so the bootstrap stays thin and tests can run them against a hand-written fake.
 * Only `import type` from electron here: this module loads fine under plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { buildCsp } from '../platform/csp';
import type { CspMode } from '../platform/csp';
import { APP_SCHEME } from './appProtocol';

export interface MainWindowOptionsInput {
  /** Absolute path of the bundled, sandbox-compatible (CommonJS) preload. */
  preloadPath: string;
  /** Window/taskbar icon (PNG); optional. */
  iconPath?: string;
}

/** BrowserWindow options with the security baseline; nothing here is negotiable. */
export function createMainWindowOptions(
  input: MainWindowOptionsInput,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'PairDesk',
    backgroundColor: '#0f1115',
    show: false,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** The CSP the main process sets as a response header (dev server → dev policy). */
export function cspForAppUrl(appUrl: string): string {
  const mode: CspMode = appUrl.startsWith(`${APP_SCHEME}:`) ? 'electron' : 'dev';
  return buildCsp(mode);
}

/**
 * True when `url` is the app's own page: app://renderer/index.html in production (never a
 * file:// URL, whatever the file), the dev server's origin and path in `electron-vite dev`.
 * Query and hash are ignored; anything unparsable is false.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === `${APP_SCHEME}:`) {
    return (
      target.protocol === app.protocol &&
      target.host === app.host &&
      target.pathname === app.pathname
    );
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false;
  return target.origin === app.origin && target.pathname === app.pathname;
}

/** What the guards need from an event they may cancel. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of `WebContents` the navigation guards use. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export type SecurityLog = (message: string) => void;

/**
 * Locks down any web contents: no navigation away from the app page, no new windows (links
 * are not opened anywhere — there are no external links yet), no <webview>. A file dropped where
 * the page does not take the drop makes Chromium navigate to its file:// URL: refused here too.
 */
export function hardenWebContents(
  contents: GuardedContents,
  getAppUrl: () => string | null,
  log: SecurityLog = () => undefined,
): void {
  const guard = (kind: string) => (event: PreventableEvent, url: string) => {
    const appUrl = getAppUrl();
    if (appUrl !== null && isAppUrl(url, appUrl)) return;
    event.preventDefault();
    log(`security: blocked ${kind} to ${url}`);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('security: blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`security: blocked window.open of ${url}`);
    return { action: 'deny' };
  });
}

/** The slice of `App` for the global guard. */
export interface GuardedApp {
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: GuardedContents) => void,
  ): unknown;
}

/** Applies `hardenWebContents` to every web contents ever created (windows, devtools, …). */
export function guardAllWebContents(
  app: GuardedApp,
  getAppUrl: () => string | null,
  log?: SecurityLog,
): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, getAppUrl, log));
}

type HeaderMap = Record<string, string[] | string>;

/** The slice of `Session` for CSP headers and permissions. */
export interface GuardedSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: HeaderMap },
        callback: (response: { responseHeaders?: HeaderMap }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * Sets the CSP header on every response the session sees (http(s): the dev server; app://
 * responses carry it from the protocol handler, and the page has the identical <meta>) and denies every permission request and check
 * (camera, notifications from the page, geolocation, …: the page needs none).
 */
export function guardSession(
  session: GuardedSession,
  csp: string,
  log: SecurityLog = () => undefined,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: HeaderMap = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`security: denied permission ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
