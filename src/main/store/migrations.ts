import type Database from 'better-sqlite3';

/**
 * Numbered schema migrations, in the style of Signal Desktop's SQL layer: an ordered list whose
 * position is the schema version stored in `PRAGMA user_version`. Never edit a shipped
 * migration; append a new one. Each runs in its own IMMEDIATE transaction together with the
 * `user_version` bump, so a crash mid-migration leaves the previous version intact.
 */
export interface Migration {
  /** 1-based; must equal the migration's index + 1. */
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets, ticks, bars, settings',
    up(db) {
      db.exec(`
        CREATE TABLE datasets (
          -- AUTOINCREMENT: a deleted dataset's id is never reused by a later one, so a stale id
          -- held by the UI cannot silently point at different data.
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          kind        TEXT    NOT NULL CHECK (kind IN ('live', 'demo', 'replay')),
          label       TEXT    NOT NULL,
          source      TEXT,
          created_ms  INTEGER NOT NULL,
          -- Running totals maintained in the same transaction as each write batch, so
          -- listing datasets never has to scan ticks or bars.
          tick_count  INTEGER NOT NULL DEFAULT 0,
          bar_count   INTEGER NOT NULL DEFAULT 0,
          first_ms    INTEGER,
          last_ms     INTEGER
        );
        -- Live data always goes to one long-lived dataset.
        CREATE UNIQUE INDEX datasets_single_live ON datasets (kind) WHERE kind = 'live';

        -- stream: 0 = aggTrade, 1 = trade. trade_type: 0 = MARKET, 1 = INSURANCE_FUND, 2 = ADL.
        -- Small integers are stored in 0-1 bytes (SQLite serial types 8/9 for 0 and 1).
        -- price/qty keep the exact decimal text received from the exchange.
        -- aggTrade and trade ids are separate sequences, so the stream is part of the key: a
        -- dataset may hold both streams of a symbol without one's ids shadowing the other's.
        -- No declared foreign key on ticks: SQLite probes the parent row on every child insert,
        -- measured at ~30% of the tick insert CPU cost (bench/store.ts). The store checks a
        -- dataset id once when it first queues for it, and the trigger below cascades deletes.
        CREATE TABLE ticks (
          dataset_id     INTEGER NOT NULL,
          symbol         TEXT    NOT NULL,
          trade_id       INTEGER NOT NULL,
          time_ms        INTEGER NOT NULL,
          event_time_ms  INTEGER NOT NULL,
          price          TEXT    NOT NULL,
          qty            TEXT    NOT NULL,
          is_buyer_maker INTEGER NOT NULL,
          stream         INTEGER NOT NULL CHECK (stream IN (0, 1)),
          trade_type     INTEGER NOT NULL CHECK (trade_type IN (0, 1, 2)),
          PRIMARY KEY (dataset_id, symbol, stream, trade_id)
        ) WITHOUT ROWID;

        CREATE TRIGGER datasets_delete_ticks AFTER DELETE ON datasets BEGIN
          DELETE FROM ticks WHERE dataset_id = old.id;
        END;

        -- Bar values are nullable: a NaN (e.g. vwap of a zero-volume bar) binds as NULL and must
        -- not fail the whole write batch; it reads back as NaN.
        CREATE TABLE bars (
          dataset_id       INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
          symbol           TEXT    NOT NULL,
          timeframe_ms     INTEGER NOT NULL,
          start_ms         INTEGER NOT NULL,
          open             REAL,
          high             REAL,
          low              REAL,
          close            REAL,
          volume           REAL,
          quote_volume     REAL,
          trades           INTEGER NOT NULL,
          taker_buy_volume REAL,
          vwap             REAL,
          PRIMARY KEY (dataset_id, symbol, timeframe_ms, start_ms)
        ) WITHOUT ROWID;

        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    name: 'alert events and rule cursors (issue #9)',
    up(db) {
      db.exec(`
        -- One row per event a rule raised (src/core/alerts/types.ts). Events are rare (a few per
        -- hour per rule), so they are inserted directly, not through the tick/bar writer.
        -- source repeats the dataset's kind so the history's source filter needs no join.
        CREATE TABLE alert_events (
          id              INTEGER PRIMARY KEY AUTOINCREMENT,
          dataset_id      INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
          source          TEXT    NOT NULL CHECK (source IN ('live', 'demo', 'replay')),
          pair_a          TEXT    NOT NULL,
          pair_b          TEXT    NOT NULL,
          timeframe       TEXT    NOT NULL,
          rolling_window  INTEGER NOT NULL,
          rule            TEXT    NOT NULL CHECK (rule IN ('zscore', 'correlation', 'feed')),
          kind            TEXT    NOT NULL CHECK (kind IN ('breach', 'escalate', 'revert')),
          side            TEXT             CHECK (side IN ('upper', 'lower')),
          value           REAL,
          threshold       REAL    NOT NULL,
          beta            REAL,
          bar_start_ms    INTEGER NOT NULL,
          wall_ms         INTEGER NOT NULL,
          acknowledged    INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
          notified        INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1))
        );
        -- Newest-first pages are a walk down the rowid; these serve the history's filters (each
        -- ends in id so a filtered page is an index range in id order) and the unacknowledged
        -- count, and the restore of a selection's rule state.
        CREATE INDEX alert_events_pair ON alert_events (pair_a, pair_b, id);
        CREATE INDEX alert_events_rule ON alert_events (rule, id);
        CREATE INDEX alert_events_source ON alert_events (source, id);
        CREATE INDEX alert_events_unacknowledged ON alert_events (id) WHERE acknowledged = 0;
        CREATE INDEX alert_events_selection
          ON alert_events (dataset_id, pair_a, pair_b, timeframe, rolling_window, rule, bar_start_ms);

        -- The last bar each rule evaluated per (dataset, selection): the rule state changes only
        -- on events, but bars evaluated after the last event must not be evaluated again after a
        -- restart either (a recompute may redraw their z with a new static β).
        CREATE TABLE alert_cursors (
          dataset_id        INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
          pair_a            TEXT    NOT NULL,
          pair_b            TEXT    NOT NULL,
          timeframe         TEXT    NOT NULL,
          rolling_window    INTEGER NOT NULL,
          rule              TEXT    NOT NULL,
          last_bar_start_ms INTEGER NOT NULL,
          PRIMARY KEY (dataset_id, pair_a, pair_b, timeframe, rolling_window, rule)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    name: 'dataset origin and bars-only timeframe (issue #10)',
    up(db) {
      // Added columns, not a rebuild of datasets: rebuilding would have to drop the table, and
      // its ON DELETE CASCADE / trigger would take every bar and tick with it. Imports therefore
      // keep kind 'replay' (the kind CHECK cannot change in place) and say 'import' here.
      // NULL origin (rows written before v3) means "same as kind".
      db.exec(`
        ALTER TABLE datasets ADD COLUMN origin TEXT
          CHECK (origin IS NULL OR origin IN ('live', 'demo', 'replay', 'import'));
        -- Bars-only datasets (klines, OHLC CSV, PairDesk bar exports): the timeframe of the bars
        -- read (ms); NULL when the bars were built from stored ticks.
        ALTER TABLE datasets ADD COLUMN bars_only_tf_ms INTEGER
          CHECK (bars_only_tf_ms IS NULL OR bars_only_tf_ms > 0);
      `);
    },
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Thrown when a database was written by a newer PairDesk whose schema this build cannot know. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `Database ${file} has schema version ${fileVersion}, but this PairDesk build only ` +
        `understands up to version ${supportedVersion}. It was written by a newer PairDesk; ` +
        `update PairDesk or choose another data file. The file was not modified.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export function getUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to SCHEMA_VERSION. Returns the versions applied (empty when already current).
 * The version is re-read inside each IMMEDIATE transaction, so two processes opening the same
 * fresh file cannot both apply a migration.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}`);
  });
  const target = migrations.length;
  const applied: number[] = [];
  const current = getUserVersion(db);
  if (current > target) throw new SchemaTooNewError(db.name, current, target);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (getUserVersion(db) >= m.version) return; // another process got there first
      m.up(db);
      // Integer literal only: PRAGMA does not accept bound parameters.
      db.pragma(`user_version = ${m.version | 0}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
