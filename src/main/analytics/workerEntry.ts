/**
 * Where the analytics worker's code is, and how to start it, in both runtimes:
 * - under tsx (CLI `serve`, vitest) this module is a .ts file: the worker is the sibling
 *   analyticsWorker.ts. A `--import tsx` in the Worker's execArgv is NOT applied to worker
 *   threads on Node 20 ("Unknown file extension .ts"), so the worker is started from a tiny
 *   bootstrap that registers tsx's ESM hooks in the thread (`tsx/esm/api` register(), resolved
 *   to an absolute URL so the current directory does not matter) and then imports the entry;
 * - in the electron-vite build the main bundle is out/main/index.js and the worker a second main
 *   entry, out/main/analyticsWorker.js (electron.vite.config.ts); this code may sit in index.js
 *   or in a shared chunk one folder below, so both places are tried. Plain `new Worker(url)`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface WorkerEntry {
  url: URL;
  /** URL of tsx's ESM register API when the entry is TypeScript, else undefined. */
  tsxApiUrl: string | undefined;
}

const TS_ENTRY = 'analyticsWorker.ts';
const JS_ENTRY = 'analyticsWorker.js';

export function analyticsWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) {
    // The package's "import" condition of tsx/esm/api; require.resolve yields the CJS twin.
    const cjs = createRequire(moduleUrl).resolve('tsx/esm/api');
    const esm = cjs.replace(/\.cjs$/, '.mjs');
    return {
      url: new URL(`./${TS_ENTRY}`, moduleUrl),
      tsxApiUrl: pathToFileURL(existsSync(esm) ? esm : cjs).href,
    };
  }
  const candidates = [`./${JS_ENTRY}`, `../${JS_ENTRY}`].map((rel) => new URL(rel, moduleUrl));
  for (const url of candidates) {
    if (existsSync(fileURLToPath(url))) return { url, tsxApiUrl: undefined };
  }
  throw new Error(
    `analytics worker not found next to ${fileURLToPath(moduleUrl)} (looked for ${candidates
      .map((u) => fileURLToPath(u))
      .join(', ')}); rebuild with electron-vite`,
  );
}

/**
 * Starts a worker thread on `entry` with `workerData` (see module doc for the tsx case). With
 * `resourceLimits` the thread's V8 heap is capped: past it the thread dies with
 * ERR_WORKER_OUT_OF_MEMORY instead of taking the whole process down with it.
 */
export function startWorker(
  entry: WorkerEntry,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  if (entry.tsxApiUrl === undefined) return new Worker(entry.url, { workerData, resourceLimits });
  const bootstrap =
    `import(${JSON.stringify(entry.tsxApiUrl)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
