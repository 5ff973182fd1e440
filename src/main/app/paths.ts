/**
 * Where PairDesk keeps its data when no `--db` is given: the same folder Electron's
 * `app.getPath('userData')` resolves for productName "PairDesk", so the CLI, the browser mode
 * and the desktop app share one database. `PAIRDESK_DATA_DIR` overrides it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER_NAME = 'PairDesk';
export const DB_FILE_NAME = 'pairdesk.db';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAIRDESK_DATA_DIR) return env.PAIRDESK_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER_NAME);
  }
}

export function defaultDbFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), DB_FILE_NAME);
}
