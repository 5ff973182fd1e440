/**
 * How tests and benches run the `pairdesk` CLI: the built modules in out/cli (what
 * `npm run pairdesk` runs), made once per test run by tests/support/buildSetup.ts.
 */
import { CLI_ENTRY } from '../../scripts/cliBuild.mjs';

export { CLI_ENTRY };

/** Arguments for `process.execPath` that run `pairdesk <args…>`. */
export function cliArgs(args: readonly string[]): string[] {
  return [CLI_ENTRY, ...args];
}
