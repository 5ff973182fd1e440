/**
 * Locates the built renderer for browser mode and builds it when it is missing, so
 * `pairdesk serve` works straight after `npm install`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding PairDesk's package.json: the nearest one above this module, which runs from
 * src/main/bridge/ (tsx), out/cli/ (the CLI bundle) or out/main/ (the Electron build).
 */
export function findProjectRoot(moduleUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const RENDERER_OUT = join(PROJECT_ROOT, 'out', 'renderer');

/** Newest modification time (ms) of `dir` (a file, or the files under a folder); 0 if missing. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Returns the built renderer folder, building it first when it is missing or older than the
 * sources it is made from (a source checkout; a packaged app ships no sources and never builds).
 */
export function ensureRendererBuilt(log: (line: string) => void = console.log): string {
  const index = join(RENDERER_OUT, 'index.html');
  // The build config counts as a source: changing how the renderer is built must rebuild it.
  const sources = ['src/renderer', 'src/core', 'electron.vite.config.ts'].map((d) =>
    newestMtime(join(PROJECT_ROOT, d)),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return RENDERER_OUT;
  log(`[serve] building the renderer (${existsSync(index) ? 'sources changed' : 'first run'})…`);
  const require = createRequire(import.meta.url);
  const cli = join(
    dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0 || !existsSync(join(RENDERER_OUT, 'index.html'))) {
    throw new Error('renderer build failed (see the output above)');
  }
  return RENDERER_OUT;
}
