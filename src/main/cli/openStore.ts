/**
 * Opening a database for the read-only commands (`export`, `datasets`): a missing or unreadable
 * file is one plain sentence, and a missing file is never created as a side effect.
 */
import { statSync } from 'node:fs';
import type { PairDeskStore } from '../store/store';
import { CliFailure } from './command';

export async function openStoreForRead(dbFile: string): Promise<PairDeskStore> {
  let isFile: boolean;
  try {
    isFile = statSync(dbFile).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliFailure(`database ${dbFile} does not exist`);
    throw new CliFailure(`cannot read database ${dbFile}: ${code ?? String(err)}`);
  }
  if (!isFile) throw new CliFailure(`database ${dbFile} is not a file`);
  const { PairDeskStore } = await import('../store/store');
  try {
    // readonly also means fileMustExist: SQLite never creates the file here.
    return PairDeskStore.open(dbFile, { readonly: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'SQLITE_NOTADB') {
      throw new CliFailure(`${dbFile} is not a SQLite database`);
    }
    if (e.code === 'SQLITE_CANTOPEN') throw new CliFailure(`cannot open database ${dbFile}`);
    throw new CliFailure(e.message.split('\n')[0]);
  }
}
