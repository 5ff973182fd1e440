/**
 * Opening an output file for a CLI command: a folder that does not exist or a file that cannot
 * be written is one plain sentence (CliFailure, exit 1) before any work is done, instead of an
 * unhandled stream error once the first row is written.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { CliFailure } from './command';

function reason(code: string | undefined, file: string): string {
  switch (code) {
    case 'ENOENT':
      return `no such folder ${dirname(file)}`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code ?? 'unknown error';
  }
}

/** A write stream on `file`, opened: resolves once the file exists, or throws CliFailure. */
export async function openOutputFile(file: string): Promise<WriteStream> {
  const out = createWriteStream(file);
  try {
    await once(out, 'open');
  } catch (err) {
    out.destroy();
    throw new CliFailure(
      `cannot write ${file}: ${reason((err as NodeJS.ErrnoException).code, file)}`,
    );
  }
  return out;
}
