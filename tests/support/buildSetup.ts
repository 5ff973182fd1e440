/**
 * vitest globalSetup: builds the CLI into out/cli and, when stale, the renderer into
 * out/renderer once, before any test file runs, so the tests that spawn `pairdesk` or serve the
 * page run the current sources and never race each other to build them.
 */
import { buildCli } from '../../scripts/cliBuild.mjs';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';

export default async function setup(): Promise<void> {
  await buildCli();
  ensureRendererBuilt((line) => console.error(line));
}
