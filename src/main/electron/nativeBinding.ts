/**
 * Where the better-sqlite3 binary built for Electron's ABI lives. node_modules keeps the
 * Node-ABI build (so `npm test` runs under plain Node); scripts/start.mjs rebuilds a copy for
 * Electron into `.cache/electron-native/<electron-version>/better_sqlite3.node` and passes it
 * as PAIRDESK_NATIVE_BINDING. Plain Node, no electron import.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_BINDING_ENV = 'PAIRDESK_NATIVE_BINDING';

/** `.cache/electron-native/<version>/better_sqlite3.node` under the project root. */
export function electronNativeBindingPath(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}

export interface NativeBindingLookup {
  env: Record<string, string | undefined>;
  /** Where to look when the env var is not set (the app path in development). */
  projectRoot: string;
  electronVersion: string;
  exists?: (file: string) => boolean;
}

/**
 * The Electron-ABI better-sqlite3 binary: PAIRDESK_NATIVE_BINDING when it names an existing
 * file, else the start script's cache location if present, else undefined (better-sqlite3's
 * own lookup, which is right for a packaged app rebuilt by the packager).
 */
export function resolveNativeBinding(lookup: NativeBindingLookup): string | undefined {
  const exists = lookup.exists ?? existsSync;
  const fromEnv = lookup.env[NATIVE_BINDING_ENV];
  if (fromEnv && exists(fromEnv)) return fromEnv;
  const cached = electronNativeBindingPath(lookup.projectRoot, lookup.electronVersion);
  return exists(cached) ? cached : undefined;
}
