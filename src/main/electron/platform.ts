/**
 * The Electron implementation of the platform capabilities (src/main/platform/interfaces.ts).
 * With the bootstrap, the only module that imports `electron` at runtime.
 */
import { BrowserWindow, Notification, dialog } from 'electron';
import type { FileFilter, Notifier, Platform, SaveDialog } from '../platform/interfaces';

export function createElectronNotifier(): Notifier {
  return {
    notify(title, body) {
      if (!Notification.isSupported()) {
        console.log(`[notice] ${title}: ${body}`);
        return;
      }
      new Notification({ title, body, silent: false }).show();
    },
  };
}

export function createElectronSaveDialog(getWindow: () => BrowserWindow | null): SaveDialog {
  return {
    async askSavePath(defaultName: string, filters: FileFilter[]) {
      const options = {
        defaultPath: defaultName,
        filters,
        properties: ['createDirectory' as const],
      };
      const window = getWindow();
      const result =
        window && !window.isDestroyed()
          ? await dialog.showSaveDialog(window, options)
          : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}

export function createElectronPlatform(getWindow: () => BrowserWindow | null): Platform {
  return { notifier: createElectronNotifier(), saveDialog: createElectronSaveDialog(getWindow) };
}
