import type Database from 'better-sqlite3';
import type { DatasetOrigin } from '../../core/contract/files';
import type { DatasetRow } from './rows';

export type { DatasetOrigin };

/**
 * - `live`: exactly one long-lived dataset (enforced by a partial unique index) that every live
 *   session appends to; reconnects and restarts dedupe on (symbol, trade_id).
 * - `demo`: one new dataset per simulate run. The simulator restarts its trade ids, so reusing a
 *   demo dataset would make INSERT OR IGNORE silently drop the second run's ticks.
 * - `replay`: one per replayed or imported file set, never mixed with live data. Imports keep
 *   this kind (the schema's kind CHECK predates them) and are told apart by `origin`.
 */
export type DatasetKind = 'live' | 'demo' | 'replay';

export interface DatasetInfo {
  id: number;
  kind: DatasetKind;
  label: string;
  source: string | null;
  createdMs: number;
  /** Rows stored; maintained in the write transaction, so reading it costs nothing. */
  tickCount: number;
  barCount: number;
  /** Earliest / latest stored tick time or bar start (ms), null while empty. */
  firstMs: number | null;
  lastMs: number | null;
  /** Where the data came from: the kind, or 'import' for an imported (not replayed) file set. */
  origin: DatasetOrigin;
  /** Bars-only datasets: the timeframe of the bars read (ms); null when built from ticks. */
  barsOnlyTimeframeMs: number | null;
}

/** Optional dataset attributes (schema v3). */
export interface DatasetExtra {
  /** Default: the kind. An import is `createDataset('replay', …, { origin: 'import' })`. */
  origin?: DatasetOrigin;
  barsOnlyTimeframeMs?: number | null;
}

/** Longest dataset label accepted by rename (characters, after trimming). */
export const MAX_DATASET_LABEL = 200;

const COLUMNS =
  'id, kind, label, source, created_ms, tick_count, bar_count, first_ms, last_ms, origin, ' +
  'bars_only_tf_ms';

const ORIGINS: readonly DatasetOrigin[] = ['live', 'demo', 'replay', 'import'];

function originOf(r: DatasetRow): DatasetOrigin {
  const o = r.origin ?? r.kind;
  return (ORIGINS as readonly string[]).includes(o) ? (o as DatasetOrigin) : 'replay';
}

function toInfo(r: DatasetRow): DatasetInfo {
  return {
    id: r.id,
    kind: r.kind as DatasetKind,
    label: r.label,
    source: r.source,
    createdMs: r.created_ms,
    tickCount: r.tick_count,
    barCount: r.bar_count,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
    origin: originOf(r),
    barsOnlyTimeframeMs: r.bars_only_tf_ms,
  };
}

export interface CounterDelta {
  id: number;
  ticks: number;
  bars: number;
  firstMs: number;
  lastMs: number;
}

/** Dataset catalogue: small table, cheap statements prepared once. */
export class DatasetRepo {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly liveStmt;
  private readonly listStmt;
  private readonly latestStmt;
  private readonly latestKindStmt;
  private readonly deleteStmt;
  private readonly countersStmt;
  private readonly renameStmt;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare<
      [string, string, string | null, number, string | null, number | null],
      DatasetRow
    >(
      `INSERT INTO datasets (kind, label, source, created_ms, origin, bars_only_tf_ms)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
    this.renameStmt = db.prepare<[string, number], DatasetRow>(
      `UPDATE datasets SET label = ? WHERE id = ? RETURNING ${COLUMNS}`,
    );
    this.byIdStmt = db.prepare<[number], DatasetRow>(
      `SELECT ${COLUMNS} FROM datasets WHERE id = ?`,
    );
    this.liveStmt = db.prepare<[], DatasetRow>(
      `SELECT ${COLUMNS} FROM datasets WHERE kind = 'live'`,
    );
    this.listStmt = db.prepare<[], DatasetRow>(`SELECT ${COLUMNS} FROM datasets ORDER BY id`);
    this.latestStmt = db.prepare<[], DatasetRow>(
      `SELECT ${COLUMNS} FROM datasets ORDER BY id DESC LIMIT 1`,
    );
    this.latestKindStmt = db.prepare<[string], DatasetRow>(
      `SELECT ${COLUMNS} FROM datasets WHERE kind = ? ORDER BY id DESC LIMIT 1`,
    );
    this.deleteStmt = db.prepare<[number]>('DELETE FROM datasets WHERE id = ?');
    this.countersStmt = db.prepare<[CounterDelta]>(
      `UPDATE datasets SET
         tick_count = tick_count + @ticks,
         bar_count = bar_count + @bars,
         first_ms = min(coalesce(first_ms, @firstMs), @firstMs),
         last_ms = max(coalesce(last_ms, @lastMs), @lastMs)
       WHERE id = @id`,
    );
  }

  create(
    kind: DatasetKind,
    label: string,
    source: string | null = null,
    extra: DatasetExtra = {},
    nowMs = Date.now(),
  ): DatasetInfo {
    const tf = extra.barsOnlyTimeframeMs ?? null;
    if (tf !== null && !(Number.isSafeInteger(tf) && tf > 0)) {
      throw new RangeError(`barsOnlyTimeframeMs must be a positive integer (ms), got ${tf}`);
    }
    const origin = extra.origin ?? kind;
    const row = this.insertStmt.get(kind, label, source, nowMs, origin, tf);
    if (!row) throw new Error('dataset insert returned no row');
    return toInfo(row);
  }

  /** The single live dataset, created on first use (label/source only apply then). */
  getOrCreateLive(label = 'Live', source: string | null = null): DatasetInfo {
    // IMMEDIATE: a second process opening the same file cannot insert a second live row
    // between our SELECT and INSERT (the unique index would make it fail instead).
    return this.db
      .transaction((): DatasetInfo => {
        const row = this.liveStmt.get();
        return row ? toInfo(row) : this.create('live', label, source);
      })
      .immediate();
  }

  get(id: number): DatasetInfo | undefined {
    const row = this.byIdStmt.get(id);
    return row ? toInfo(row) : undefined;
  }

  list(): DatasetInfo[] {
    return this.listStmt.all().map(toInfo);
  }

  /** Most recently created dataset, optionally of one kind. */
  latest(kind?: DatasetKind): DatasetInfo | undefined {
    const row = kind === undefined ? this.latestStmt.get() : this.latestKindStmt.get(kind);
    return row ? toInfo(row) : undefined;
  }

  /**
   * Sets the label (trimmed, 1–MAX_DATASET_LABEL characters). Throws an Error with a plain
   * message for an unknown id or a bad label.
   */
  rename(id: number, label: string): DatasetInfo {
    const trimmed = label.trim();
    if (trimmed.length === 0) throw new Error('a dataset name cannot be empty');
    if (trimmed.length > MAX_DATASET_LABEL) {
      throw new Error(
        `a dataset name can have at most ${MAX_DATASET_LABEL} characters (got ${trimmed.length})`,
      );
    }
    const row = this.renameStmt.get(trimmed, id);
    if (!row) throw new Error(`there is no dataset ${id}`);
    return toInfo(row);
  }

  /** Deletes the dataset and (by cascade) its ticks and bars. Returns whether it existed. */
  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  /** Called inside the write transaction. */
  applyCounters(delta: CounterDelta): void {
    this.countersStmt.run(delta);
  }
}
