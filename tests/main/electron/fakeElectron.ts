/**
 * A hand-written fake of the few Electron pieces the bootstrap touches: enough to run
 * src/main/electron/* under plain Node (the Electron binary is not needed).
 */
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
  focus(): void {}
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
  fireReady(): void {
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

export class FakeNotification {
  static readonly shown: { title: string; body: string }[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    FakeNotification.shown.push({ title: this.options.title, body: this.options.body });
  }
}

/** A fresh fake `electron` module (main-process side) and handles on its parts. */
export function createFakeElectron(userData = '/tmp/pairdesk-user', appPath = '/tmp/pairdesk-app') {
  const app = new FakeApp(userData, appPath);
  const ipcMain = new FakeIpcMain();
  const defaultSession = new FakeSession();
  const errorBoxes: { title: string; content: string }[] = [];
  const dialog = {
    showErrorBox(title: string, content: string): void {
      errorBoxes.push({ title, content });
    },
    async showSaveDialog(): Promise<{ canceled: boolean; filePath?: string }> {
      return { canceled: true };
    },
  };
  FakeBrowserWindow.created.length = 0;
  const module = {
    app,
    ipcMain,
    session: { defaultSession },
    BrowserWindow: FakeBrowserWindow,
    dialog,
    Notification: FakeNotification,
  };
  return { module, app, ipcMain, defaultSession, errorBoxes, windows: FakeBrowserWindow.created };
}
