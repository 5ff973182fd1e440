/**
 * Which capture files the replay source may open (issue #13). The renderer and bridge clients
 * are untrusted: they pick a file by an opaque id among the ones main lists, never by path. A
 * file may be replayed when its real path (symlinks resolved) is a regular file directly inside
 * one of the replay folders, or a file the user opened through main (`allowUserFile`: the
 * command line's `--file` today, an open dialog or a drop later). Errors name no path, so a
 * probe cannot learn what exists.
 */
import { createHash } from 'node:crypto';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ReplayFile } from '../../core/contract/contract';

/**
 * Names the replay folders' listing offers: NDJSON captures and the trade CSVs replay also plays
 * (data.binance.vision archives, PairDesk exports; plain, .gz or .zip). The content decides at
 * play time: a CSV that holds no trades is refused then, with the reason.
 */
export const CAPTURE_FILE = /\.(ndjson|jsonl|csv)(\.gz)?$|\.zip$/i;
/** Files opened by the user that are remembered (most recent kept). */
const MAX_USER_FILES = 50;

/** A replay file that may not be opened; the message is safe to show (no path in it). */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/** An offered file with its real path (main side only). */
interface Offered extends ReplayFile {
  realPath: string;
}

function realPathOf(path: string): string | null {
  try {
    return realpathSync(resolve(path));
  } catch {
    return null;
  }
}

function regularFileSize(realPath: string): number | null {
  try {
    const st = statSync(realPath);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

export class ReplayCatalog {
  private readonly userFiles: string[];

  /**
   * @param dirs replay folders (their captures are offered)
   * @param userFiles real paths the user opened earlier (persisted by the caller)
   * @param onUserFiles called with the new list whenever the user opens a file
   */
  constructor(
    private readonly dirs: readonly string[],
    userFiles: readonly string[] = [],
    private readonly onUserFiles?: (paths: string[]) => void,
  ) {
    this.userFiles = userFiles.filter((p) => typeof p === 'string').slice(-MAX_USER_FILES);
  }

  /** The opaque id of a real path: stable across runs, reveals nothing of the path. */
  static idOf(realPath: string): string {
    return createHash('sha256').update(realPath).digest('base64url').slice(0, 22);
  }

  /**
   * Registers a file the user chose through main (command line, open dialog, drop): from now on
   * it is offered and may be replayed. Throws ReplayFileError when it is not a regular file.
   */
  allowUserFile(path: string): ReplayFile & { realPath: string } {
    const realPath = realPathOf(path);
    const size = realPath === null ? null : regularFileSize(realPath);
    if (realPath === null || size === null) {
      throw new ReplayFileError('the chosen replay file does not exist or is not a regular file');
    }
    const at = this.userFiles.indexOf(realPath);
    if (at >= 0) this.userFiles.splice(at, 1);
    this.userFiles.push(realPath);
    if (this.userFiles.length > MAX_USER_FILES) this.userFiles.shift();
    this.onUserFiles?.([...this.userFiles]);
    return {
      id: ReplayCatalog.idOf(realPath),
      name: basename(path),
      sizeBytes: size,
      realPath,
    };
  }

  /** Files offered now: captures in the replay folders, then the user's; sorted by name. */
  list(): ReplayFile[] {
    return [...this.offered().values()]
      .map(({ id, name, sizeBytes }) => ({ id, name, sizeBytes }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The real path of an offered file, checked again now. Throws ReplayFileError otherwise. */
  resolveId(id: string): string {
    const hit = this.offered().get(id);
    if (!hit) {
      throw new ReplayFileError(
        'that replay file is not offered (any more): choose one from the list',
      );
    }
    return hit.realPath;
  }

  /**
   * The real path of `path` (e.g. the one stored in the settings) when it may be replayed now.
   * Throws ReplayFileError otherwise.
   */
  check(path: string): string {
    const realPath = realPathOf(path);
    if (realPath === null || regularFileSize(realPath) === null) {
      throw new ReplayFileError('the replay file does not exist or is not a regular file');
    }
    if (!this.isAllowed(realPath)) {
      throw new ReplayFileError('the replay file is neither in a replay folder nor opened by you');
    }
    return realPath;
  }

  private folders(): string[] {
    const out: string[] = [];
    for (const dir of this.dirs) {
      const real = realPathOf(dir);
      if (real !== null && !out.includes(real)) out.push(real);
    }
    return out;
  }

  private isAllowed(realPath: string, folders = this.folders()): boolean {
    // Directly inside a folder (the listing is not recursive), or opened by the user.
    return folders.includes(dirname(realPath)) || this.userFiles.includes(realPath);
  }

  private offered(): Map<string, Offered> {
    const out = new Map<string, Offered>();
    const folders = this.folders();
    const add = (listedPath: string): void => {
      const realPath = realPathOf(listedPath);
      if (realPath === null || !this.isAllowed(realPath, folders)) return;
      const sizeBytes = regularFileSize(realPath);
      if (sizeBytes === null) return;
      const id = ReplayCatalog.idOf(realPath);
      if (!out.has(id)) out.set(id, { id, name: basename(listedPath), sizeBytes, realPath });
    };
    for (const folder of folders) {
      let names: string[] = [];
      try {
        names = readdirSync(folder);
      } catch {
        continue;
      }
      for (const name of names) if (CAPTURE_FILE.test(name)) add(join(folder, name));
    }
    for (const path of this.userFiles) add(path);
    return out;
  }
}
