/** The input files a CLI command was given, checked before any work starts. */
import { statSync } from 'node:fs';
import { UsageError } from './command';

/**
 * Throws a UsageError (one line) when `files` is empty (`noneMessage`), or when one of them cannot
 * be stat'ed (`cannot read F: no such file` / the errno code) or is not a regular file.
 */
export function requireInputFiles(files: readonly string[], noneMessage: string): void {
  if (files.length === 0) throw new UsageError(noneMessage);
  for (const f of files) {
    let isFile: boolean;
    try {
      isFile = statSync(f).isFile();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot read ${f}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`,
      );
    }
    if (!isFile) throw new UsageError(`${f} is not a regular file`);
  }
}
