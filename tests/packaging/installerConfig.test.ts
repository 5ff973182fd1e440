/**
 * The installer configuration (electron-builder.json), checked without electron-builder's
 * Electron download (impossible offline): its own schema validation, the targets, the fuses,
 * the unpacked native module, the icon, and that what it packs is exactly what `npm run build`
 * produces — main and preload built here in a scratch copy of the project (so out/ is never
 * raced), the renderer from out/renderer, which vitest's globalSetup keeps fresh.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { init as initLexer, parse as parseImports } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));

interface BuilderConfig {
  files: string[];
  icon: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  directories: { output: string };
}
const config = JSON.parse(
  readFileSync(join(root, 'electron-builder.json'), 'utf8'),
) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

// electron-builder's own matcher and validator (app-builder-lib is pinned by electron-builder).
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const minimatch = (
  builderRequire('minimatch') as {
    minimatch: (path: string, pattern: string, options?: { dot?: boolean }) => boolean;
  }
).minimatch;
const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

/** Whether electron-builder's `files` list packs `path` (relative, `/`-separated). */
function packs(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) included = true;
  }
  return included;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((file) => statSync(file).isFile());
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage + deb, dmg and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
  });

  it('flips the Electron fuses that close the Node-level back doors', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // The renderer is served as app://, so file:// needs no extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs an asar with better-sqlite3 unpacked and rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    // A runtime dependency, so electron-builder copies it into the app (devDependencies never).
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    const binding = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(config.asarUnpack.some((pattern) => minimatch(binding, pattern, { dot: true }))).toBe(
      true,
    );
    // Nothing of the app's own code is unpacked: it stays under the asar integrity check.
    for (const pattern of config.asarUnpack) expect(pattern).toMatch(/^node_modules\//);
  });

  it('uses a square PNG icon of at least 512 px, and packs it for the window', () => {
    expect(config.icon).toBe('resources/icon.png');
    const { width, height } = pngSize(join(root, config.icon));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
    // main.ts loads <app path>/resources/icon.png for the window.
    expect(packs('resources/icon.png')).toBe(true);
  });

  it('never packs sources, tests, caches or the installers themselves', () => {
    for (const path of [
      'src/main/electron/main.ts',
      'tests/packaging/installerConfig.test.ts',
      '.cache/electron-native/45.4.1/better_sqlite3.node',
      'out/cli/main/cli/index.js',
      `${config.directories.output}/PairDesk.AppImage`,
      'out/main/index.js.map',
      'README.md',
    ]) {
      expect(packs(path), path).toBe(false);
    }
  });
});

describe('what electron-builder packs after `npm run build`', () => {
  let scratch: string;
  /** The built files, relative to the project root, `/`-separated. */
  let built: string[];

  beforeAll(() => {
    // main + preload: `electron-vite build` in a copy of the project, with the renderer section
    // dropped (out/renderer is built and kept fresh by the globalSetup; rebuilding it would
    // take ~30 s on a 2-core machine).
    scratch = mkdtempSync(join(tmpdir(), 'pairdesk-pack-'));
    for (const entry of ['src', 'resources', 'package.json', 'tsconfig.json']) {
      cpSync(join(root, entry), join(scratch, entry), { recursive: true });
    }
    cpSync(join(root, 'electron.vite.config.ts'), join(scratch, 'electron.vite.base.ts'));
    writeFileSync(
      join(scratch, 'electron.vite.config.ts'),
      "import base from './electron.vite.base';\nexport default { ...base, renderer: undefined };\n",
    );
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'junction');
    const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const result = spawnSync(process.execPath, [electronVite, 'build'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stderr}`);
    const toRel = (base: string) => (file: string) => relative(base, file).split(sep).join('/');
    built = [
      ...filesUnder(join(scratch, 'out')).map(toRel(scratch)),
      ...filesUnder(join(root, 'out', 'renderer')).map(toRel(root)),
    ];
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('every pattern of `files` matches something the build produced', () => {
    const candidates = [...built, 'package.json', 'resources/icon.png'];
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      expect(
        candidates.some((file) => minimatch(file, pattern, { dot: true })),
        pattern,
      ).toBe(true);
    }
  });

  it('packs the entry points main.ts loads: main, the analytics worker, preload, index.html', () => {
    const entries = [
      pkg.main.replace(/^\.\//, ''),
      'out/main/analyticsWorker.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ];
    for (const entry of entries) {
      expect(built, entry).toContain(entry);
      expect(packs(entry), entry).toBe(true);
    }
    for (const file of built.filter((f) => !f.endsWith('.map'))) {
      expect(packs(file), file).toBe(true);
    }
  });

  it('the page only references files inside out/renderer (what app:// serves)', () => {
    const html = readFileSync(join(root, 'out', 'renderer', 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = new URL(ref, 'app://renderer/index.html');
      expect(target.href.startsWith('app://renderer/'), ref).toBe(true);
      expect(built, ref).toContain(`out/renderer${target.pathname}`);
    }
  });

  it('the main bundle imports only Node built-ins, electron and packed dependencies', async () => {
    await initLexer;
    const allowed = new Set([
      'electron',
      ...Object.keys(pkg.dependencies),
      ...builtinModules,
      ...builtinModules.map((m) => `node:${m}`),
    ]);
    const mainFiles = built.filter((f) => f.startsWith('out/main/') && f.endsWith('.js'));
    expect(mainFiles.length).toBeGreaterThan(1);
    for (const file of mainFiles) {
      const [imports] = parseImports(readFileSync(join(scratch, file), 'utf8'));
      for (const { n: name } of imports) {
        if (!name || name.startsWith('.')) continue;
        const packageName = name.startsWith('@')
          ? name.split('/').slice(0, 2).join('/')
          : name.split('/')[0]!;
        expect(allowed.has(name) || allowed.has(packageName), `${file} imports ${name}`).toBe(true);
      }
    }
  });
});
