/**
 * The Electron implementation of the platform capabilities (src/main/platform/interfaces.ts).
 * With the bootstrap, the only module that imports `electron` at runtime.
 */
import { BrowserWindow, Notification, dialog } from 'electron';
import type {
  FileFilter,
  Notifier,
  OpenDialog,
  Platform,
  SaveDialog,
} from '../platform/interfaces';

/**
 * Native notifications. A click brings `getWindow()`'s window to the front (restored, shown,
 * focused) before the request's onClick runs. Shown notifications are referenced until clicked
 * or closed: Electron drops the click of a Notification object that was garbage-collected.
 */
export function createElectronNotifier(
  getWindow: () => BrowserWindow | null = () => null,
): Notifier {
  const alive = new Set<Notification>();
  return {
    notify({ title, body, onClick }) {
      if (!Notification.isSupported()) {
        console.log(`[notice] ${title}: ${body}`);
        return;
      }
      const notification = new Notification({ title, body, silent: false });
      alive.add(notification);
      notification.on('click', () => {
        alive.delete(notification);
        const window = getWindow();
        if (window && !window.isDestroyed()) {
          if (window.isMinimized()) window.restore();
          window.show();
          window.focus();
        }
        onClick?.();
      });
      notification.on('close', () => alive.delete(notification));
      notification.show();
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

/** The native open dialog, several files at once, modal to the app window when there is one. */
export function createElectronOpenDialog(getWindow: () => BrowserWindow | null): OpenDialog {
  return {
    async askOpenPaths(title: string, filters: FileFilter[]) {
      const options = {
        title,
        filters,
        properties: ['openFile' as const, 'multiSelections' as const],
      };
      const window = getWindow();
      const result =
        window && !window.isDestroyed()
          ? await dialog.showOpenDialog(window, options)
          : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}

export function createElectronPlatform(getWindow: () => BrowserWindow | null): Platform {
  return {
    notifier: createElectronNotifier(getWindow),
    saveDialog: createElectronSaveDialog(getWindow),
    openDialog: createElectronOpenDialog(getWindow),
  };
}
