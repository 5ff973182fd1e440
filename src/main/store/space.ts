/**
 * Disk space of a PairDesk database: what a dataset takes (approximately) and giving freed pages
 * back to the file system after a delete.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** SQLite's `PRAGMA auto_vacuum` values. */
const AUTO_VACUUM_INCREMENTAL = 2;

/** Bytes the database takes on disk now: main file + WAL (0 for an in-memory database). */
export function fileBytesOnDisk(db: Database.Database): number {
  if (db.memory) return 0;
  let total = 0;
  for (const f of [db.name, `${db.name}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      // No WAL file (checkpointed and truncated, or never written).
    }
  }
  return total;
}

export type ReclaimMode = 'incremental' | 'vacuum';

/**
 * Hands the pages a delete freed back to the file system, then checkpoints and truncates the
 * WAL so the file sizes drop at once.
 *
 * - Files created since schema v3 use `auto_vacuum = INCREMENTAL` (set in db.ts before the first
 *   table): `PRAGMA incremental_vacuum` moves the pages at the end of the file into the freed
 *   slots and truncates, work proportional to what was freed, not to the file.
 * - Older files have `auto_vacuum = NONE`, and only a VACUUM can switch the mode. It cannot run
 *   inside a transaction, so not in a migration; it runs here, once, at the first delete: it
 *   rewrites the whole file (seconds for a GB-sized live database, and temporarily needs as much
 *   free disk again), and every later delete is incremental.
 *
 * Throws (SQLite's "statements in progress") while an iterator on this connection is open.
 */
export function reclaimFreePages(db: Database.Database): ReclaimMode {
  let mode: ReclaimMode;
  if (db.pragma('auto_vacuum', { simple: true }) === AUTO_VACUUM_INCREMENTAL) {
    db.pragma('incremental_vacuum');
    mode = 'incremental';
  } else {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
    mode = 'vacuum';
  }
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  return mode;
}

/** Average on-disk bytes of one row of each data table. */
export interface RowBytes {
  tick: number;
  bar: number;
}

/**
 * Bytes per tick and per bar row: each table's B-tree size (the `dbstat` virtual table, compiled
 * into better-sqlite3) divided by its row count. dbstat reads every page of the table (about
 * 1 GB/s from the page cache), so the figures are cached and measured again only when the row
 * totals moved by more than `remeasureFraction` since the last measure. A dataset's size is then
 * its rows times these averages: approximate (row sizes vary a little between symbols, and
 * freed-but-unreclaimed pages are not counted).
 */
export class RowBytesEstimator {
  private readonly tableBytesStmt;
  private measured: { ticks: number; bars: number; bytes: RowBytes } | undefined;

  constructor(
    db: Database.Database,
    private readonly remeasureFraction = 0.1,
  ) {
    // aggregate = 1: one row per B-tree with its total size.
    this.tableBytesStmt = db.prepare<[], { name: string; bytes: number }>(
      `SELECT name, pgsize AS bytes FROM dbstat('main', 1) WHERE name IN ('ticks', 'bars')`,
    );
  }

  /** Bytes per row given the current row totals of ticks and bars (all datasets). */
  rowBytes(totalTicks: number, totalBars: number): RowBytes {
    const m = this.measured;
    if (m && near(m.ticks, totalTicks, this.remeasureFraction)) {
      if (near(m.bars, totalBars, this.remeasureFraction)) return m.bytes;
    }
    let tickTable = 0;
    let barTable = 0;
    for (const r of this.tableBytesStmt.all()) {
      if (r.name === 'ticks') tickTable = r.bytes;
      else barTable = r.bytes;
    }
    const bytes = {
      tick: totalTicks > 0 ? tickTable / totalTicks : 0,
      bar: totalBars > 0 ? barTable / totalBars : 0,
    };
    this.measured = { ticks: totalTicks, bars: totalBars, bytes };
    return bytes;
  }
}

function near(was: number, now: number, fraction: number): boolean {
  if (was === now) return true;
  return Math.abs(now - was) <= fraction * Math.max(was, now);
}
