/** requireInputFiles: the one-line usage errors of `import` / `analyze` for bad file arguments. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/main/cli/command';
import { requireInputFiles } from '../../../src/main/cli/inputFiles';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-cli-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a.csv');
writeFileSync(file, 'x\n');

describe('requireInputFiles', () => {
  it('accepts regular files', () => {
    expect(() => requireInputFiles([file, file], 'none')).not.toThrow();
  });

  it('refuses no files with the given message', () => {
    expect(() => requireInputFiles([], 'give a file')).toThrow(new UsageError('give a file'));
  });

  it('names a missing file', () => {
    const missing = join(dir, 'missing.csv');
    expect(() => requireInputFiles([file, missing], 'none')).toThrow(
      new UsageError(`cannot read ${missing}: no such file`),
    );
  });

  it('names a folder given as a file', () => {
    expect(() => requireInputFiles([dir], 'none')).toThrow(
      new UsageError(`${dir} is not a regular file`),
    );
  });
});
