/**
 * Builds the headless CLI (`npm run pairdesk`) into out/cli/ and rebuilds it only when its
 * inputs changed.
 *
 * Why prebuilt: tsx transpiles every module on each start and resolves each import through
 * loader hooks on a separate thread, ~0.3 s per run, a fifth of a 1M-trade `analyze`.
 *
 * Why one output module per source module, not a bundle: a bundler rewrites top-level `const`
 * to `var` (esbuild does so whenever it bundles), and V8 then can no longer fold the decoder's
 * byte constants into its hot loops: the bundled `analyze` decoded ~10 % slower than the same
 * code run through tsx. Here each .ts file is transpiled alone by esbuild's `transform` (types
 * stripped, nothing else changed) and its relative import specifiers are pointed at the emitted
 * .js files (es-module-lexer finds them exactly, static and dynamic). The layout mirrors src/:
 * out/cli/main/cli/index.js is the CLI; the analytics worker is
 * out/cli/main/analytics/analyticsWorker.js, next to workerEntry.js which finds it.
 * Package imports are left alone and load from node_modules (better-sqlite3 is native).
 *
 * The new build is written to a temporary folder and renamed into place, so a CLI started
 * while another process rebuilds sees either the old build or the new one, never a mix.
 *
 * Freshness: the build records the list of its inputs with each one's size and modification
 * time (out/cli/inputs.json) and is stale as soon as that list differs — a file added, deleted,
 * renamed, or changed in either direction. Comparing against the build's own time instead
 * would miss a source restored with an older time (cp -p, rsync, a backup) and would rebuild
 * on every run while a source is dated in the future.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI_OUT = path.join(ROOT, 'out', 'cli');
const ENTRY_REL = path.join('main', 'cli', 'index.js');
const INPUTS_REL = 'inputs.json';
export const CLI_ENTRY = path.join(CLI_OUT, ENTRY_REL);

/** The source folders (relative to src/) the CLI is built from. src/main/electron is left out:
 * it needs the Electron runtime and the CLI never imports it. */
const SOURCE_DIRS = ['core', 'main'];
const EXCLUDED_DIRS = new Set([path.join('main', 'electron')]);
/** Files whose change makes the build stale besides the sources. */
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'scripts/cliBuild.mjs'];

/** The TypeScript sources (no declaration files), relative to src/, sorted. */
function sourceFiles() {
  const files = [];
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(ROOT, 'src', rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRS.has(child)) walk(child);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files.push(child);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return files.sort();
}

/** Every input of the build, relative to the project root, with its size and mtime: one string. */
function inputsStamp(files) {
  const inputs = [...files.map((f) => path.join('src', f)), ...BUILD_INPUTS];
  const lines = inputs.map((rel) => {
    const st = statSync(path.join(ROOT, rel));
    return `${rel}\t${st.size}\t${st.mtimeMs}`;
  });
  return JSON.stringify(lines);
}

/** True when the build exists and was made from exactly the inputs there are now. */
export function cliBuildIsFresh() {
  if (!existsSync(CLI_ENTRY)) return false;
  try {
    return readFileSync(path.join(CLI_OUT, INPUTS_REL), 'utf8') === inputsStamp(sourceFiles());
  } catch {
    return false; // no record of the inputs (a build from before this scheme): rebuild
  }
}

/**
 * The emitted specifier for a relative import `spec` written in src/<fromRel>: `./x` → `./x.js`,
 * `./dir` → `./dir/index.js`. Anything else (packages, node:, already-suffixed) is unchanged.
 */
function emittedSpecifier(spec, fromRel) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return spec;
  if (/\.(m?js|json)$/.test(spec)) return spec;
  const target = path.join(ROOT, 'src', path.dirname(fromRel), spec);
  if (existsSync(`${target}.ts`)) return `${spec}.js`;
  if (existsSync(path.join(target, 'index.ts'))) return `${spec}/index.js`;
  throw new Error(`src/${fromRel}: cannot resolve import "${spec}"`);
}

/** Points every relative import of `code` (transpiled from src/<rel>) at an emitted .js file. */
function rewriteImports(parse, code, rel) {
  const [imports] = parse(code, rel);
  let out = '';
  let last = 0;
  for (const imp of imports) {
    // imp.n is the specifier's value; undefined for a dynamic import of a non-literal.
    if (imp.n === undefined) continue;
    const next = emittedSpecifier(imp.n, rel);
    if (next === imp.n) continue;
    // Static imports: [s, e) is the bare specifier; dynamic: the quoted string literal.
    const quoted = imp.d > -1;
    const start = quoted ? imp.s + 1 : imp.s;
    const end = quoted ? imp.e - 1 : imp.e;
    out += code.slice(last, start) + next;
    last = end;
  }
  return out + code.slice(last);
}

/** Transpiles every source into `outDir` (replaced as a whole); returns a summary. */
export async function buildCli({ outDir = CLI_OUT } = {}) {
  // Loaded here, not at the top: a run that finds the build fresh never pays for them.
  const { transform } = await import('esbuild');
  const { init, parse } = await import('es-module-lexer');
  await init;
  const files = sourceFiles();
  // Stamped before reading: a source edited during the build leaves the build stale, not fresh.
  const stamp = inputsStamp(files);
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  let bytes = 0;
  await Promise.all(
    files.map(async (rel) => {
      const source = readFileSync(path.join(ROOT, 'src', rel), 'utf8');
      const result = await transform(source, {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: path.join(ROOT, 'src', rel),
        sourcemap: 'external',
        // As tsconfig.json: ES2022 class fields (define semantics).
        tsconfigRaw: { compilerOptions: { target: 'ES2022', useDefineForClassFields: true } },
      });
      const outRel = rel.replace(/\.ts$/, '.js');
      const outFile = path.join(staging, outRel);
      const code = `${rewriteImports(parse, result.code, rel)}//# sourceMappingURL=${path.basename(outFile)}.map\n`;
      mkdirSync(path.dirname(outFile), { recursive: true });
      writeFileSync(outFile, code);
      writeFileSync(`${outFile}.map`, result.map);
      bytes += code.length;
    }),
  );
  writeFileSync(path.join(staging, INPUTS_REL), stamp);
  const retired = `${outDir}.old-${process.pid}`;
  try {
    if (existsSync(outDir)) renameSync(outDir, retired);
    renameSync(staging, outDir);
  } catch (error) {
    // Another process installed its build between our two renames: its build is as new as
    // ours (same sources), so keep it and drop ours.
    if (!existsSync(path.join(outDir, ENTRY_REL))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(retired, { recursive: true, force: true });
  return { files: files.length, bytes };
}

/** Builds the CLI when it is missing or stale; returns the entry file. */
export async function ensureCliBuilt(log = (line) => console.error(line)) {
  if (cliBuildIsFresh()) return CLI_ENTRY;
  const t0 = performance.now();
  const reason = existsSync(CLI_ENTRY) ? 'sources changed' : 'first run';
  const { files } = await buildCli();
  log(
    `[pairdesk] built the CLI into out/cli (${reason}; ${files} modules in ${Math.round(performance.now() - t0)} ms)`,
  );
  return CLI_ENTRY;
}
