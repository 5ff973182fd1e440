#!/usr/bin/env node
/**
 * `npm run dist [-- <electron-builder options>]`: builds the installers for the current
 * platform (electron-builder.json: AppImage + deb, dmg, nsis).
 *
 *   1. `electron-vite build` (out/main, out/preload, out/renderer);
 *   2. `electron-builder`: rebuilds better-sqlite3 for Electron's ABI, packs app.asar with
 *      better-sqlite3 unpacked, flips the Electron fuses, writes dist/;
 *   3. always: electron-builder's rebuild happens IN PLACE in node_modules, which would leave
 *      `npm test` (plain Node) with an Electron-ABI better-sqlite3 — so when the Node build no
 *      longer loads, `npm rebuild better-sqlite3` puts it back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const isWindows = process.platform === 'win32';

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: false });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function bin(pkg, file) {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function nodeBindingLoads() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    { cwd: root, stdio: 'ignore' },
  );
  return probe.status === 0;
}

let code = await run(process.execPath, [bin('electron-vite', 'bin/electron-vite.js'), 'build']);
if (code === 0) {
  code = await run(process.execPath, [bin('electron-builder', 'cli.js'), ...process.argv.slice(2)]);
}
if (!nodeBindingLoads()) {
  console.log('[dist] restoring the Node-ABI better-sqlite3 in node_modules (for npm test)');
  const npm = isWindows ? 'npm.cmd' : 'npm';
  const restored = spawnSync(npm, ['rebuild', 'better-sqlite3'], {
    cwd: root,
    stdio: 'inherit',
    shell: isWindows,
  });
  if (restored.status !== 0) {
    console.error('[dist] `npm rebuild better-sqlite3` failed; run it before `npm test`');
    code ||= 1;
  }
}
process.exit(code);
