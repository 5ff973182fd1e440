/**
 * Locates the built renderer for browser mode and builds it when it is missing, so
 * `pairdesk serve` works straight after `npm install`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_OUT = join(PROJECT_ROOT, 'out', 'renderer');

export function ensureRendererBuilt(log: (line: string) => void = console.log): string {
  if (existsSync(join(RENDERER_OUT, 'index.html'))) return RENDERER_OUT;
  log('[serve] building the renderer (first run)…');
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
