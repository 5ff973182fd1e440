/**
 * Window bounds persisted in the settings, so the window comes back where the user left it.
 * Only structural types of Electron's window are used, so a fake window can drive it in tests.
 */
import type { Settings, WindowBounds, SettingsPatch } from '../../core/contract/contract';

export interface BoundsWindow {
  getNormalBounds(): { x: number; y: number; width: number; height: number };
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface SettingsAccess {
  readonly settings: Settings;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
}

/** Constructor options restoring the saved bounds (size always; position when saved). */
export function restoredBounds(saved: WindowBounds | null): {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
} {
  if (!saved) return {};
  return { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
}

/**
 * Saves the window's bounds after it stops moving or resizing (debounced) and when it closes.
 * Returns a function that cancels a pending save.
 */
export function persistWindowBounds(
  window: BoundsWindow,
  settings: SettingsAccess,
  debounceMs = 500,
  log: (message: string) => void = () => undefined,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    timer = undefined;
    if (window.isDestroyed()) return;
    const b = window.getNormalBounds();
    const bounds: WindowBounds = {
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.round(b.width),
      height: Math.round(b.height),
      maximized: window.isMaximized(),
    };
    const layout = { ...settings.settings.layout, window: bounds };
    settings
      .updateSettings({ layout })
      .catch((error: unknown) => log(`could not save window bounds: ${String(error)}`));
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const)
    window.on(event, schedule);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
  return () => {
    if (timer) clearTimeout(timer);
  };
}
