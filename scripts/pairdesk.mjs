#!/usr/bin/env node
/**
 * `npm run pairdesk -- <command> [options]`: runs the headless CLI from its prebuilt modules
 * (out/cli/main/cli/index.js), building them first when missing or older than src/ (see
 * scripts/cliBuild.mjs). `--build` only builds (CI, tests, benches) and exits.
 *
 * The CLI is imported into this process rather than spawned, so a command pays one Node
 * start-up, and signals, stdio and the exit code are the CLI's own.
 */
import { pathToFileURL } from 'node:url';
import { buildCli, ensureCliBuilt } from './cliBuild.mjs';

const args = process.argv.slice(2);
if (args[0] === '--build') {
  const { files, bytes } = await buildCli();
  console.error(`[pairdesk] built ${files} modules (${(bytes / 1e6).toFixed(2)} MB) into out/cli`);
} else {
  const entry = await ensureCliBuilt();
  // Stack traces name the TypeScript sources (out/cli has a source map per module; ~10 ms).
  process.setSourceMapsEnabled(true);
  // The CLI reads process.argv.slice(2): as if it had been started directly.
  process.argv = [process.argv[0], entry, ...args];
  await import(pathToFileURL(entry).href);
}
