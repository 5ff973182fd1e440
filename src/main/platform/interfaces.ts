/**
 * Small platform capabilities the services may use, injected by whoever hosts them: the
 * Electron adapter (src/main/electron/platform.ts) or a headless fallback (CLI, browser mode,
 * tests). This file must stay free of `electron` so every host can implement it.
 */

/** A desktop notification. */
export interface NotificationRequest {
  title: string;
  body: string;
  /**
   * Called when the user clicks it, after the host brought the app window to the front (the
   * alerts service then asks the renderer to show the bar: the `alertFocus` event).
   */
  onClick?: () => void;
}

/** Shows a desktop notification (or logs it when headless). */
export interface Notifier {
  notify(notification: NotificationRequest): void;
}

/** A file-type filter of a save dialog, e.g. `{ name: 'CSV', extensions: ['csv'] }`. */
export interface FileFilter {
  name: string;
  /** Extensions without the dot. */
  extensions: string[];
}

/** Asks the user where to save a file. */
export interface SaveDialog {
  /** Resolves to the chosen absolute path, or null when the user cancelled. */
  askSavePath(defaultName: string, filters: FileFilter[]): Promise<string | null>;
}

/** Asks the user which files to open (Electron's `dialog.showOpenDialog`, several at once). */
export interface OpenDialog {
  /** Resolves to the chosen absolute paths, [] when the user cancelled. */
  askOpenPaths(title: string, filters: FileFilter[]): Promise<string[]>;
}

/** The platform capabilities handed to the services. */
export interface Platform {
  notifier: Notifier;
  saveDialog: SaveDialog;
  /** Absent where there is no native dialog (browser mode uploads instead). */
  openDialog?: OpenDialog;
}
