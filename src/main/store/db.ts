import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { getUserVersion, migrate, SCHEMA_VERSION, SchemaTooNewError } from './migrations';

export interface OpenDatabaseOptions {
  /**
   * Path of a better_sqlite3.node built for the running ABI. The Electron app passes the binary
   * rebuilt for Electron; plain Node (CLI, tests, bench) leaves it undefined for the default.
   */
  nativeBinding?: string;
  /** Open without write access; the file must exist and already be at SCHEMA_VERSION. */
  readonly?: boolean;
  /** How long a statement waits on another connection's lock before SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
  /** Page cache in KiB. Default 32 MiB: holds the hot B-tree pages of a live session. */
  cacheKiB?: number;
}

/**
 * Page size for new files (only applies before the first table is created). 8 KiB instead of
 * the 4 KiB default: fewer interior pages and cheaper sequential scans for exports; insert
 * throughput was within noise of 4 and 16 KiB in bench/store.ts.
 */
const NEW_FILE_PAGE_SIZE = 8192;

/**
 * Opens (creating if needed) a PairDesk database and migrates it to SCHEMA_VERSION.
 *
 * Pragmas:
 * - journal_mode=WAL: readers never block the writer, and a commit is one sequential append.
 * - synchronous=NORMAL: in WAL mode a commit is durable against a process crash (SIGKILL,
 *   renderer/main crash) because the WAL frames are already in the OS page cache when COMMIT
 *   returns; only an OS crash or power loss can lose the last transactions (never corrupt the
 *   file), since the WAL is fsynced at checkpoints rather than at every commit. FULL would
 *   fsync every ~200 ms batch for little gain in a research tool.
 * - foreign_keys=ON: bars reference datasets (ON DELETE CASCADE); ticks use a trigger instead
 *   (see migrations.ts).
 * - busy_timeout: a second connection (e.g. a CLI export) waits instead of failing at once.
 * - auto_vacuum=INCREMENTAL on new files: deleting a dataset can shrink the file (space.ts).
 *
 * Throws SchemaTooNewError (without touching the file) when it was written by a newer build.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Database.Database {
  const readonly = opts.readonly ?? false;
  const db = new Database(file, {
    readonly,
    fileMustExist: readonly,
    nativeBinding: opts.nativeBinding,
    timeout: Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000)),
  });
  try {
    const version = getUserVersion(db);
    if (version > SCHEMA_VERSION) throw new SchemaTooNewError(file, version, SCHEMA_VERSION);
    if (readonly) {
      if (version < SCHEMA_VERSION) {
        throw new Error(
          `Database ${file} has schema version ${version} < ${SCHEMA_VERSION}; ` +
            `open it read-write once to migrate it.`,
        );
      }
    } else {
      if (isEmptyFile(db)) {
        db.pragma(`page_size = ${NEW_FILE_PAGE_SIZE}`);
        // Only settable before the first table: lets a dataset delete give its pages back to
        // the file system without rewriting the file (space.ts, reclaimFreePages).
        db.pragma('auto_vacuum = INCREMENTAL');
      }
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${-Math.max(1024, Math.floor(opts.cacheKiB ?? 32 * 1024))}`);
    // Sorting for exports (ORDER BY time) and temp indexes stay in files, not RAM.
    db.pragma('temp_store = FILE');
    if (!readonly) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function isEmptyFile(db: Database.Database): boolean {
  const n = db.prepare<[], number>('SELECT count(*) FROM sqlite_schema').pluck().get();
  return n === 0;
}

export interface IntegrityReport {
  ok: boolean;
  /** `['ok']` when healthy, otherwise SQLite's problem descriptions. */
  messages: string[];
}

/** Runs `PRAGMA integrity_check` (full B-tree and index verification; O(file size)). */
export function integrityCheck(db: Database.Database): IntegrityReport {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const messages = rows.map((r) => r.integrity_check);
  return { ok: messages.length === 1 && messages[0] === 'ok', messages };
}

/** Bytes on disk: main file pages plus the current WAL (0 for in-memory databases). */
export function dbSizeBytes(db: Database.Database): number {
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  let wal = 0;
  if (!db.memory) {
    try {
      wal = statSync(`${db.name}-wal`).size;
    } catch {
      // No WAL file (checkpointed and truncated, or never written).
    }
  }
  return pageCount * pageSize + wal;
}
