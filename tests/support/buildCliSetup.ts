/**
 * vitest globalSetup: builds the CLI into out/cli once, before any test file runs, so the tests
 * that spawn `pairdesk` run the current sources and never race each other to build them.
 */
import { buildCli } from '../../scripts/cliBuild.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
