/**
 * The fake `electron` that `vi.mock('electron', …)` hands to the bootstrap. The module object's
 * members are getters onto `holder.current`, so each test can install a fresh fake
 * (`installFakeElectron`) even though vitest evaluates the mock factory only once; the holder
 * lives on globalThis so a `vi.resetModules()` cannot split it in two.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeElectron } from './fakeElectron';

type FakeElectron = ReturnType<typeof createFakeElectron>;

const key = Symbol.for('pairdesk.test.fakeElectron');
const scope = globalThis as unknown as Record<symbol, { current: FakeElectron } | undefined>;
const holder = (scope[key] ??= { current: createFakeElectron() });

export function installFakeElectron(): FakeElectron {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-electron-'));
  holder.current = createFakeElectron(join(dir, 'userData'), join(dir, 'app'));
  return holder.current;
}

/** What `import … from 'electron'` yields in tests. */
export const electronModule = {
  get app() {
    return holder.current.module.app;
  },
  get ipcMain() {
    return holder.current.module.ipcMain;
  },
  get session() {
    return holder.current.module.session;
  },
  get BrowserWindow() {
    return holder.current.module.BrowserWindow;
  },
  get dialog() {
    return holder.current.module.dialog;
  },
  get Notification() {
    return holder.current.module.Notification;
  },
  get protocol() {
    return holder.current.module.protocol;
  },
  get net() {
    return holder.current.module.net;
  },
};
