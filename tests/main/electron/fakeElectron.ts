/**
 * A hand-written fake of the few Electron pieces the bootstrap touches: enough to run
 * src/main/electron/* under plain Node (the Electron binary is not needed).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
// Listeners take `never` so any typed listener fits; they are called through `Invoke`.
type Listener = (...args: never[]) => unknown;
type Invoke = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.off(event, wrapper);
      return (listener as Invoke)(...args);
    };
    return this.on(event, wrapper);
  }
  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners.get(event) ?? [];
    for (const listener of list) (listener as Invoke)(...args);
    return list.length > 0;
  }
  listenerCount(event: string): number {
    return (this.listeners.get(event) ?? []).length;
  }
}

/** An event with preventDefault, as Electron passes to will-navigate & co. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
}

let nextRoutingId = 1;

export class FakeWebContents extends FakeEmitter {
  mainFrame: FakeFrame = { url: '', processId: 7, routingId: nextRoutingId++ };
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** A navigation attempt; returns whether it was allowed. */
  navigate(url: string, event = 'will-navigate'): boolean {
    const e = new FakeEvent();
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  destroyed = false;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  bounds = { x: 40, y: 30, width: 1280, height: 800 };
  maximized = false;
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {}
  focused = false;
  focus(): void {
    this.focused = true;
  }
  show(): void {
    this.shown = true;
  }
}

export type FakeHandler = (event: never, ...args: never[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, FakeHandler>();
  handle(channel: string, handler: FakeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a handler the way Electron does, always through a promise. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return (handler as Invoke)(event, ...args);
  }
}

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[] | string> },
  callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
) => void;

export class FakeSession {
  headersListener: HeadersListener | null = null;
  permissionRequestHandler:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null =
    null;
  permissionCheckHandler: ((contents: unknown, permission: string) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.permissionCheckHandler = handler;
  }
}

export class FakeApp extends FakeEmitter {
  isPackaged = false;
  quitCalls = 0;
  sandboxEnabled = false;
  gotLock = true;
  private isReadyFlag = false;
  private readyResolve: (() => void) | null = null;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });
  constructor(
    private readonly userData: string,
    private readonly appPath: string,
  ) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return this.isReadyFlag;
  }
  fireReady(): void {
    this.isReadyFlag = true;
    this.readyResolve?.();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
  getAppPath(): string {
    return this.appPath;
  }
  /** Like Electron: emits before-quit; quits only if nobody prevented it. */
  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('quit-done');
  }
}

/** Electron's `Notification`: isSupported, show, and the 'click'/'close' events (emit them). */
export class FakeNotification extends FakeEmitter {
  static readonly shown: { title: string; body: string }[] = [];
  static readonly created: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shownCount = 0;
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
    FakeNotification.created.push(this);
  }
  show(): void {
    this.shownCount++;
    FakeNotification.shown.push({ title: this.options.title, body: this.options.body });
  }
}

export interface FakeCustomScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/**
 * `protocol` as Electron enforces it: privileges only before `ready` and only once, handlers
 * only after `ready` and one per scheme.
 */
export class FakeProtocol {
  privileged: FakeCustomScheme[] | null = null;
  readonly handlers = new Map<string, ProtocolHandler>();
  constructor(private readonly app: FakeApp) {}
  registerSchemesAsPrivileged(schemes: FakeCustomScheme[]): void {
    if (this.app.isReady())
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    if (this.privileged) throw new Error('registerSchemesAsPrivileged can only be called once');
    this.privileged = schemes;
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!this.app.isReady()) throw new Error('protocol.handle used before app is ready');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  /** What a page request for `url` gets (unhandled schemes fail like a network error). */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const request = new Request(url, init);
    const handler = this.handlers.get(new URL(request.url).protocol.slice(0, -1));
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
    return handler(request);
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** `net.fetch` for file:// URLs (the only kind the bootstrap fetches); offline otherwise. */
export const fakeNet = {
  fetched: [] as string[],
  async fetch(url: string): Promise<Response> {
    fakeNet.fetched.push(url);
    if (!url.startsWith('file:')) throw new Error(`net::ERR_INTERNET_DISCONNECTED ${url}`);
    const file = fileURLToPath(url);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = new Uint8Array(readFileSync(file));
    } catch {
      throw new Error(`net::ERR_FILE_NOT_FOUND ${url}`);
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'Content-Type': type } });
  },
};

/** A dialog call: the parent window (null for none) and the options. */
export interface FakeDialogCall {
  window: unknown;
  options: Record<string, unknown>;
}

/**
 * `dialog.showOpenDialog` / `showSaveDialog`: record each call (with or without a parent window,
 * as Electron's overloads allow) and answer what the test set (cancelled by default).
 */
export class FakeDialogs {
  readonly openCalls: FakeDialogCall[] = [];
  readonly saveCalls: FakeDialogCall[] = [];
  /** Paths the user "chooses" in the next open dialogs; null = cancel. */
  openAnswer: string[] | null = null;
  /** Path the user "chooses" in the next save dialogs; null = cancel. */
  saveAnswer: string | null = null;

  private static split(args: unknown[]): FakeDialogCall {
    return args.length >= 2
      ? { window: args[0], options: args[1] as Record<string, unknown> }
      : { window: null, options: args[0] as Record<string, unknown> };
  }

  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.openCalls.push(FakeDialogs.split(args));
    return this.openAnswer === null
      ? { canceled: true, filePaths: [] }
      : { canceled: false, filePaths: [...this.openAnswer] };
  }

  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveCalls.push(FakeDialogs.split(args));
    return this.saveAnswer === null
      ? { canceled: true, filePath: '' }
      : { canceled: false, filePath: this.saveAnswer };
  }
}

/** A fresh fake `electron` module (main-process side) and handles on its parts. */
export function createFakeElectron(userData = '/tmp/pairdesk-user', appPath = '/tmp/pairdesk-app') {
  const app = new FakeApp(userData, appPath);
  const ipcMain = new FakeIpcMain();
  const defaultSession = new FakeSession();
  const protocol = new FakeProtocol(app);
  fakeNet.fetched.length = 0;
  const errorBoxes: { title: string; content: string }[] = [];
  const dialogs = new FakeDialogs();
  const dialog = {
    showErrorBox(title: string, content: string): void {
      errorBoxes.push({ title, content });
    },
    showSaveDialog: (...args: unknown[]) => dialogs.showSaveDialog(...args),
    showOpenDialog: (...args: unknown[]) => dialogs.showOpenDialog(...args),
  };
  FakeBrowserWindow.created.length = 0;
  FakeNotification.created.length = 0;
  FakeNotification.shown.length = 0;
  FakeNotification.supported = true;
  const module = {
    app,
    ipcMain,
    session: { defaultSession },
    BrowserWindow: FakeBrowserWindow,
    dialog,
    Notification: FakeNotification,
    protocol,
    net: fakeNet,
  };
  return {
    module,
    app,
    ipcMain,
    defaultSession,
    protocol,
    errorBoxes,
    dialogs,
    windows: FakeBrowserWindow.created,
  };
}
