/**
 * Locates the built renderer for browser mode and builds it when it is missing, so
 * `pairdesk serve` works straight after `npm install`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** What the renderer build is made from, relative to the project root. */
const RENDERER_INPUTS = [
  'src/renderer',
  'src/core',
  'resources',
  'electron.vite.config.ts',
  'package.json',
];
/** The record of the inputs the build was made from: beside out/renderer, not in it (served). */
const STAMP_FILE = 'renderer-inputs.json';

/** Every input file under `root` with its size and mtime, one line each, sorted: one string. */
export function rendererInputsStamp(root: string = PROJECT_ROOT): string {
  const lines: string[] = [];
  const visit = (rel: string): void => {
    const path = join(root, rel);
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (!st.isDirectory()) {
      lines.push(`${rel}\t${st.size}\t${st.mtimeMs}`);
      return;
    }
    for (const entry of readdirSync(path)) visit(join(rel, entry));
  };
  for (const input of RENDERER_INPUTS) visit(input);
  return JSON.stringify(lines.sort());
}

/**
 * Whether `root`'s built renderer was made from exactly the inputs there are now: any file
 * added, deleted or changed — newer or older — makes it stale (as the CLI build, for the same
 * reasons: a source restored with an older time must rebuild, a future-dated one only once).
 */
export function rendererBuildIsFresh(root: string = PROJECT_ROOT): boolean {
  const out = join(root, 'out', 'renderer');
  if (!existsSync(join(out, 'index.html'))) return false;
  // No sources at all (a packaged app): the build shipped is the build.
  if (!existsSync(join(root, 'src', 'renderer'))) return true;
  try {
    return readFileSync(join(root, 'out', STAMP_FILE), 'utf8') === rendererInputsStamp(root);
  } catch {
    return false; // built without a record (e.g. by `electron-vite build` alone): rebuild once
  }
}

/** Records `stamp` (taken before the build read its inputs) as what `root`'s build is made from. */
export function recordRendererInputs(stamp: string, root: string = PROJECT_ROOT): void {
  writeFileSync(join(root, 'out', STAMP_FILE), stamp);
}

/**
 * Returns the built renderer folder, building it first when it is missing or was made from
 * other inputs (a source checkout; a packaged app ships no sources and never builds).
 */
export function ensureRendererBuilt(log: (line: string) => void = console.log): string {
  const index = join(RENDERER_OUT, 'index.html');
  if (rendererBuildIsFresh()) return RENDERER_OUT;
  const stamp = rendererInputsStamp();
  log(
    `[pairdesk] building the renderer into out/renderer (${existsSync(index) ? 'sources changed' : 'first run'})…`,
  );
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
  recordRendererInputs(stamp);
  return RENDERER_OUT;
}
