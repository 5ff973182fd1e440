#!/usr/bin/env node
/**
 * `npm start`: runs the PairDesk desktop app when the Electron runtime is installed, else the
 * browser mode.
 *
 * With Electron:
 *   1. make sure a better-sqlite3 binary built for Electron's ABI exists at
 *      .cache/electron-native/<electron-version>/better_sqlite3.node (built once, from a COPY of
 *      node_modules/better-sqlite3, so node_modules keeps its Node-ABI build and `npm test`
 *      keeps working under plain Node);
 *   2. `electron-vite build`;
 *   3. spawn Electron on the project root with PAIRDESK_NATIVE_BINDING pointing at that binary.
 * Without Electron (offline install with ELECTRON_SKIP_BINARY_DOWNLOAD): `npm run pairdesk -- serve
 * --source demo`, the same UI in a browser tab.
 *
 * Extra arguments (`npm start -- …`) are passed on to Electron / the demo.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const isWindows = process.platform === 'win32';
/** `--prepare`: build the Electron-ABI binding and the bundles, print them as JSON, exit (tests). */
const prepareOnly = process.argv.includes('--prepare');
const extraArgs = process.argv.slice(2).filter((a) => a !== '--prepare');

const log = (message) => console.log(`[start] ${message}`);

/**
 * The Electron executable and version, or null when the binary is not installed. Deliberately
 * NOT `require('electron')`: when the binary is missing, electron's index.js tries to download
 * it, which must not happen here (offline installs).
 */
function findElectron() {
  let packageJson;
  try {
    packageJson = require.resolve('electron/package.json');
  } catch {
    return null;
  }
  const dir = path.dirname(packageJson);
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const executable = fs.readFileSync(pathFile, 'utf8').trim();
  if (!executable) return null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  const binary = path.join(dist, executable);
  if (!fs.existsSync(binary)) return null;
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
  return { binary, version };
}

/** Runs a command with inherited stdio; resolves with its exit code. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs the long-lived child (Electron or the demo): forwards SIGINT/SIGTERM/SIGHUP to it and
 * exits the way it exits. The child must treat a repeated signal idempotently (a terminal
 * Ctrl+C reaches the whole process group as well as being forwarded).
 */
function runForeground(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
  const signals = isWindows ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  child.once('error', (error) => {
    console.error(`[start] could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) {
      process.kill(process.pid, signal); // die the same way (default handler now)
      return;
    }
    process.exit(code ?? 0);
  });
}

/** Path of the better-sqlite3 binary built for `electronVersion`; keep in sync with main. */
function nativeBindingPath(electronVersion) {
  return path.join(root, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}

async function ensureNativeBinding(electronVersion) {
  const target = nativeBindingPath(electronVersion);
  if (fs.existsSync(target)) return target;

  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const { version } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  log(
    `building better-sqlite3 ${version} for Electron ${electronVersion} (once; cached in .cache/)`,
  );

  // The scratch copy lives inside the project so that @electron/rebuild finds prebuild-install
  // in the project's node_modules (walking up) and can fetch a prebuilt binary; the module
  // search stops at the scratch package.json, so node_modules itself is never touched.
  const cacheDir = path.dirname(target);
  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, 'build-'));
  try {
    fs.writeFileSync(
      path.join(work, 'package.json'),
      JSON.stringify({
        name: 'pairdesk-native-build',
        private: true,
        dependencies: { 'better-sqlite3': version },
      }),
    );
    const copy = path.join(work, 'node_modules', 'better-sqlite3');
    const staleBuild = path.join(source, 'build');
    fs.cpSync(source, copy, { recursive: true, filter: (file) => file !== staleBuild });

    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: work,
      projectRootPath: work,
      electronVersion,
      onlyModules: ['better-sqlite3'],
      force: true,
    });

    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!fs.existsSync(built)) throw new Error(`rebuild finished but ${built} is missing`);
    const partial = `${target}.${process.pid}.tmp`;
    fs.copyFileSync(built, partial);
    fs.renameSync(partial, target);
    log(`better-sqlite3 for Electron ${electronVersion}: ${path.relative(root, target)}`);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function startElectron(electron) {
  let binding;
  try {
    binding = await ensureNativeBinding(electron.version);
  } catch (error) {
    console.error(
      `[start] could not build better-sqlite3 for Electron ${electron.version}: ${error.message}\n` +
        '[start] (needs network access for a prebuilt binary, or a C++ toolchain and the Electron headers)',
    );
    process.exit(1);
  }

  const electronVite = path.join(
    path.dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const buildCode = await run(process.execPath, [electronVite, 'build']);
  if (buildCode !== 0) {
    console.error(`[start] electron-vite build failed (exit ${buildCode})`);
    process.exit(buildCode);
  }

  if (prepareOnly) {
    console.log(JSON.stringify({ electron: electron.binary, nativeBinding: binding }));
    return;
  }
  const env = { ...process.env, PAIRDESK_NATIVE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
  runForeground(electron.binary, [root, ...extraArgs], { env });
}

/**
 * Browser mode starts on the simulated market: a machine without Electron is usually offline or
 * headless, and the UI's source switch reaches live Binance when there is a network.
 */
const BROWSER_ARGS = extraArgs.includes('--source') ? [] : ['--source', 'demo'];

function startHeadlessDemo() {
  log(
    'Electron runtime not installed (offline install or headless machine) — starting the browser mode instead; open the URL below',
  );
  // What `npm run pairdesk -- serve` runs, without a second npm in between.
  runForeground(process.execPath, [
    path.join(root, 'scripts', 'pairdesk.mjs'),
    'serve',
    ...BROWSER_ARGS,
    ...extraArgs,
  ]);
}

const electron = findElectron();
if (electron) {
  await startElectron(electron);
} else if (prepareOnly) {
  log('Electron runtime not installed: nothing to prepare');
  process.exit(3);
} else {
  startHeadlessDemo();
}
