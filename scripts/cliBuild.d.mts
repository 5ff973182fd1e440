/** Types of scripts/cliBuild.mjs, for the TypeScript tests and benches that build the CLI. */
export declare const ROOT: string;
export declare const CLI_OUT: string;
/** out/cli/main/cli/index.js: the built CLI. */
export declare const CLI_ENTRY: string;
export declare function cliBuildIsFresh(): boolean;
export declare function buildCli(options?: {
  outDir?: string;
}): Promise<{ files: number; bytes: number }>;
export declare function ensureCliBuilt(log?: (line: string) => void): Promise<string>;
