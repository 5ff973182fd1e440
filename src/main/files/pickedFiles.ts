/**
 * Files the user handed to main — chosen in the open dialog, dropped on the window, or uploaded
 * in browser mode — become PickedFiles: registered in the ReplayCatalog (so `files.replay` and
 * `source.select` accept their ids too) and named to the renderer by an opaque id only.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { PickedFile } from '../../core/contract/files';
import type { ReplayCatalog } from '../app/replayFiles';

/** A picked file on disk, main side only. */
export interface ResolvedFile {
  id: string;
  /** Real path (symlinks resolved), checked again when resolved. */
  path: string;
  name: string;
  sizeBytes: number;
}

/**
 * Why `path` cannot be picked, or null when it is a regular file this process can read. The
 * message names the file as the user gave it (it came from them: dialog, drop, upload).
 */
export function unreadableReason(path: string, label = path): string | null {
  try {
    if (!statSync(resolve(path)).isFile()) return `"${label}" is not a regular file`;
  } catch {
    return `"${label}" does not exist`;
  }
  try {
    accessSync(resolve(path), constants.R_OK);
  } catch {
    return `"${label}" cannot be read (permission denied)`;
  }
  return null;
}

/** The picked files: registration through the catalog, and their ids back to paths. */
export class PickedFiles {
  /** Names as the user saw them (a symlink's name, not its target's), by id. */
  private readonly names = new Map<string, string>();

  constructor(private readonly catalog: ReplayCatalog) {}

  /** Registers a file the user chose; throws a plain Error naming it when it is unusable. */
  register(path: string): PickedFile {
    const why = unreadableReason(path);
    if (why !== null) throw new Error(why);
    const { id, name, sizeBytes } = this.catalog.allowUserFile(path);
    this.names.set(id, name);
    return { id, name, sizeBytes };
  }

  /**
   * The file behind an id handed out before (by this run or, through the catalog's stored list,
   * an earlier one), checked again now. Throws the catalog's path-free error otherwise.
   */
  resolve(id: string): ResolvedFile {
    const path = this.catalog.resolveId(id);
    const name = this.names.get(id) ?? basename(path);
    // Named by its base name only: the renderer knows files by id, not by where they live.
    const why = unreadableReason(path, name);
    if (why !== null) throw new Error(why);
    return { id, path, name, sizeBytes: statSync(path).size };
  }
}
