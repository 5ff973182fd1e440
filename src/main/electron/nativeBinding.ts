/**
 * Where the better-sqlite3 binary built for Electron's ABI lives. node_modules keeps the
 * Node-ABI build (so `npm test` runs under plain Node); scripts/start.mjs rebuilds a copy for
 * Electron into `.cache/electron-native/<electron-version>/better_sqlite3.node` and passes it
 * as PAIRDESK_NATIVE_BINDING (development only). Plain Node, no electron import.
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
  /** `app.isPackaged`: an installed app never takes its native code from the environment. */
  isPackaged: boolean;
  exists?: (file: string) => boolean;
}

/**
 * The Electron-ABI better-sqlite3 binary: PAIRDESK_NATIVE_BINDING when it names an existing
 * file, else the start script's cache location if present, else undefined (better-sqlite3's
 * own lookup). A packaged app always gets undefined: electron-builder rebuilt better-sqlite3
 * for Electron and unpacked it to app.asar.unpacked, and honouring the variable there would
 * let anyone who can set the environment load arbitrary native code into the app.
 */
export function resolveNativeBinding(lookup: NativeBindingLookup): string | undefined {
  if (lookup.isPackaged) return undefined;
  const exists = lookup.exists ?? existsSync;
  const fromEnv = lookup.env[NATIVE_BINDING_ENV];
  if (fromEnv && exists(fromEnv)) return fromEnv;
  const cached = electronNativeBindingPath(lookup.projectRoot, lookup.electronVersion);
  return exists(cached) ? cached : undefined;
}
