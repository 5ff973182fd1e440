import type Database from 'better-sqlite3';
import type { Bar, Tick, TradeStream } from '../../core/market/types';
import { rowToTick, streamCode, streamOf, tupleToBar, type BarTuple, type TickRow } from './rows';

export interface BarQuery {
  /** Inclusive lower bound on bar start (ms). */
  fromMs?: number;
  /** Exclusive upper bound on bar start (ms). */
  toMs?: number;
  /** Only the last N bars of the range (still returned oldest first). */
  limitLast?: number;
}

/** Bar start times (ms) and closes of one symbol, oldest first, as columns. */
export interface BarCloseColumns {
  startMs: Float64Array;
  close: Float64Array;
}

export interface TickQuery {
  /** Only this symbol (otherwise all symbols, alphabetically). */
  symbol?: string;
  /** Inclusive lower bound on trade time (ms). */
  fromMs?: number;
  /** Exclusive upper bound on trade time (ms). */
  toMs?: number;
}

/** A tick as its CSV export needs it: symbol, trade id, time (ms), price and qty text, 0/1. */
export type TickCsvCells = [
  symbol: string,
  tradeId: number,
  timeMs: number,
  price: string,
  qty: string,
  isBuyerMaker: number,
];

export interface SymbolTickStats {
  symbol: string;
  stream: TradeStream;
  count: number;
  minTradeId: number;
  maxTradeId: number;
}

const TICK_COLUMNS =
  'symbol, trade_id, time_ms, event_time_ms, price, qty, is_buyer_maker, stream, trade_type';
const BAR_COLUMNS =
  'symbol, timeframe_ms, start_ms, open, high, low, close, volume, quote_volume, trades, ' +
  'taker_buy_volume, vwap';
// Unbounded ranges as sentinels keep one statement per query shape.
const MIN_MS = Number.MIN_SAFE_INTEGER;
const MAX_MS = Number.MAX_SAFE_INTEGER;

type BarArgs = [number, string, number, number, number];

/** Read side. All statements are prepared once; the PK prefix serves every lookup. */
export class StoreQueries {
  private readonly barsStmt;
  private readonly barsLastStmt;
  private readonly closesLastStmt;
  private readonly ticksStmt;
  private readonly ticksSymbolStmt;
  private readonly countStmt;
  private readonly countBySymbolStmt;
  private readonly idRangeStmt;
  private readonly newestStmt;
  private readonly barSymbolsStmt;
  private readonly tickSymbolsStmt;
  private readonly tickTimeRangeStmt;
  private readonly barSymbolsAnyStmt;
  private readonly barsIterStmt;
  private readonly csvTicksStmt;
  private readonly csvTicksSymbolStmt;

  constructor(db: Database.Database) {
    const barWhere =
      'dataset_id = ? AND symbol = ? AND timeframe_ms = ? AND start_ms >= ? AND start_ms < ?';
    // Raw (array) rows: see BarTuple.
    this.barsStmt = db
      .prepare<BarArgs, BarTuple>(
        `SELECT ${BAR_COLUMNS} FROM bars WHERE ${barWhere} ORDER BY start_ms`,
      )
      .raw(true);
    // Its own statement: a statement being iterated cannot run another query meanwhile.
    this.barsIterStmt = db
      .prepare<BarArgs, BarTuple>(
        `SELECT ${BAR_COLUMNS} FROM bars WHERE ${barWhere} ORDER BY start_ms`,
      )
      .raw(true);
    this.barsLastStmt = db
      .prepare<[...BarArgs, number], BarTuple>(
        `SELECT * FROM (SELECT ${BAR_COLUMNS} FROM bars WHERE ${barWhere}
           ORDER BY start_ms DESC LIMIT ?) ORDER BY start_ms`,
      )
      .raw(true);
    this.closesLastStmt = db
      .prepare<[...BarArgs, number], [number, number | null]>(
        `SELECT * FROM (SELECT start_ms, close FROM bars WHERE ${barWhere}
           ORDER BY start_ms DESC LIMIT ?) ORDER BY start_ms`,
      )
      .raw(true);
    // ORDER BY needs a sort (the PK is ordered by trade_id, not time); SQLite's external sorter
    // spills to temp files, so memory stays bounded on big exports. Two statements, because
    // `symbol = coalesce(?, symbol)` would stop SQLite from seeking the (dataset_id, symbol) prefix.
    const timeWhere = 'time_ms >= ? AND time_ms < ?';
    this.ticksStmt = db.prepare<[number, number, number], TickRow>(
      `SELECT ${TICK_COLUMNS} FROM ticks WHERE dataset_id = ? AND ${timeWhere}
       ORDER BY symbol, time_ms, trade_id`,
    );
    this.ticksSymbolStmt = db.prepare<[number, string, number, number], TickRow>(
      `SELECT ${TICK_COLUMNS} FROM ticks WHERE dataset_id = ? AND symbol = ? AND ${timeWhere}
       ORDER BY time_ms, trade_id`,
    );
    // The same rows and order as ticksStmt / ticksSymbolStmt, six columns as arrays: what the
    // CSV export writes, without building a Tick object and parsing two numbers per row.
    const csvColumns = 'symbol, trade_id, time_ms, price, qty, is_buyer_maker';
    this.csvTicksStmt = db
      .prepare<[number, number, number], TickCsvCells>(
        `SELECT ${csvColumns} FROM ticks WHERE dataset_id = ? AND ${timeWhere}
         ORDER BY symbol, time_ms, trade_id`,
      )
      .raw(true);
    this.csvTicksSymbolStmt = db
      .prepare<[number, string, number, number], TickCsvCells>(
        `SELECT ${csvColumns} FROM ticks WHERE dataset_id = ? AND symbol = ? AND ${timeWhere}
         ORDER BY time_ms, trade_id`,
      )
      .raw(true);
    this.countStmt = db
      .prepare<[number, string], number>(
        'SELECT count(*) FROM ticks WHERE dataset_id = ? AND symbol = ?',
      )
      .pluck();
    this.countBySymbolStmt = db.prepare<
      [number],
      { symbol: string; stream: number; count: number; minTradeId: number; maxTradeId: number }
    >(
      `SELECT symbol, stream, count(*) AS count, min(trade_id) AS minTradeId,
              max(trade_id) AS maxTradeId
       FROM ticks WHERE dataset_id = ? GROUP BY symbol, stream ORDER BY symbol, stream`,
    );
    // min/max over the PK suffix: two B-tree seeks, O(log n).
    this.idRangeStmt = db.prepare<
      [number, string, number, number, string, number],
      { min: number | null; max: number | null }
    >(
      `SELECT (SELECT min(trade_id) FROM ticks WHERE dataset_id = ? AND symbol = ? AND stream = ?) AS min,
              (SELECT max(trade_id) FROM ticks WHERE dataset_id = ? AND symbol = ? AND stream = ?) AS max`,
    );
    // DISTINCT over the (dataset_id, symbol, …) key prefix: no bar rows are read twice.
    this.barSymbolsStmt = db
      .prepare<[number, number], string>(
        'SELECT DISTINCT symbol FROM bars WHERE dataset_id = ? AND timeframe_ms = ? ORDER BY symbol',
      )
      .pluck();
    // Every symbol with bars of any timeframe, by the same loose index scan as tickSymbols.
    this.barSymbolsAnyStmt = db
      .prepare<[{ ds: number }], string>(
        `WITH RECURSIVE s(symbol) AS (
           SELECT min(symbol) FROM bars WHERE dataset_id = @ds
           UNION ALL
           SELECT (SELECT min(symbol) FROM bars WHERE dataset_id = @ds AND symbol > s.symbol)
           FROM s WHERE s.symbol IS NOT NULL
         )
         SELECT symbol FROM s WHERE symbol IS NOT NULL`,
      )
      .pluck();
    // The distinct symbols by repeated seeks along the primary key (a loose index scan): one
    // B-tree lookup per symbol instead of reading every tick, so a restart of a large live
    // dataset does not scan its history.
    this.tickSymbolsStmt = db
      .prepare<[{ ds: number }], string>(
        `WITH RECURSIVE s(symbol) AS (
           SELECT min(symbol) FROM ticks WHERE dataset_id = @ds
           UNION ALL
           SELECT (SELECT min(symbol) FROM ticks WHERE dataset_id = @ds AND symbol > s.symbol)
           FROM s WHERE s.symbol IS NOT NULL
         )
         SELECT symbol FROM s WHERE symbol IS NOT NULL`,
      )
      .pluck();
    // First and last tick times without reading the ticks: per (symbol, stream) the lowest and
    // highest trade id are two seeks along the primary key, and exchange ids grow with trade
    // time, so their times bound the dataset's. O(symbols · log n), like tickSymbols.
    this.tickTimeRangeStmt = db.prepare<
      [{ ds: number }],
      { firstMs: number | null; lastMs: number | null }
    >(
      `WITH RECURSIVE s(symbol) AS (
         SELECT min(symbol) FROM ticks WHERE dataset_id = @ds
         UNION ALL
         SELECT (SELECT min(symbol) FROM ticks WHERE dataset_id = @ds AND symbol > s.symbol)
         FROM s WHERE s.symbol IS NOT NULL
       ),
       st(stream) AS (VALUES (0), (1))
       SELECT
         min((SELECT time_ms FROM ticks
              WHERE dataset_id = @ds AND symbol = s.symbol AND stream = st.stream
              ORDER BY trade_id LIMIT 1)) AS firstMs,
         max((SELECT time_ms FROM ticks
              WHERE dataset_id = @ds AND symbol = s.symbol AND stream = st.stream
              ORDER BY trade_id DESC LIMIT 1)) AS lastMs
       FROM s, st WHERE s.symbol IS NOT NULL`,
    );
    // Newest first along the PK: exchange ids grow with trade time, so a caller reading back to
    // a time stops after the rows it needs instead of scanning the symbol's history.
    this.newestStmt = db.prepare<[number, string, number], TickRow>(
      `SELECT ${TICK_COLUMNS} FROM ticks WHERE dataset_id = ? AND symbol = ? AND stream = ?
       ORDER BY trade_id DESC`,
    );
  }

  bars(datasetId: number, symbol: string, timeframeMs: number, q: BarQuery = {}): Bar[] {
    const args: BarArgs = [datasetId, symbol, timeframeMs, q.fromMs ?? MIN_MS, q.toMs ?? MAX_MS];
    const rows =
      q.limitLast === undefined
        ? this.barsStmt.all(...args)
        : this.barsLastStmt.all(...args, Math.max(0, Math.floor(q.limitLast)));
    return rows.map(tupleToBar);
  }

  /** Like bars() without limitLast, streamed row by row (exports of long 1 s histories). */
  *iterateBars(
    datasetId: number,
    symbol: string,
    timeframeMs: number,
    q: Omit<BarQuery, 'limitLast'> = {},
  ): Generator<Bar, void, undefined> {
    const rows = this.barsIterStmt.iterate(
      datasetId,
      symbol,
      timeframeMs,
      q.fromMs ?? MIN_MS,
      q.toMs ?? MAX_MS,
    );
    for (const row of rows) yield tupleToBar(row);
  }

  /**
   * Start times and closes of the last `limitLast` bars of the range, oldest first, as columns
   * (what the analytics engine needs; two values a row instead of twelve). A NULL close is NaN.
   */
  barCloses(
    datasetId: number,
    symbol: string,
    timeframeMs: number,
    limitLast: number,
    q: Omit<BarQuery, 'limitLast'> = {},
  ): BarCloseColumns {
    const rows = this.closesLastStmt.all(
      datasetId,
      symbol,
      timeframeMs,
      q.fromMs ?? MIN_MS,
      q.toMs ?? MAX_MS,
      Math.max(0, Math.floor(limitLast)),
    );
    const startMs = new Float64Array(rows.length);
    const close = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      startMs[i] = rows[i][0];
      close[i] = rows[i][1] ?? NaN;
    }
    return { startMs, close };
  }

  /** Streams rows (statement.iterate), so exports of millions of ticks stay flat in memory. */
  *ticks(datasetId: number, q: TickQuery = {}): Generator<Tick, void, undefined> {
    const from = q.fromMs ?? MIN_MS;
    const to = q.toMs ?? MAX_MS;
    const rows =
      q.symbol === undefined
        ? this.ticksStmt.iterate(datasetId, from, to)
        : this.ticksSymbolStmt.iterate(datasetId, q.symbol, from, to);
    for (const row of rows) yield rowToTick(row);
  }

  /** ticks() as TickCsvCells rows (streamed). */
  tickCsvCells(datasetId: number, q: TickQuery = {}): IterableIterator<TickCsvCells> {
    const from = q.fromMs ?? MIN_MS;
    const to = q.toMs ?? MAX_MS;
    return q.symbol === undefined
      ? this.csvTicksStmt.iterate(datasetId, from, to)
      : this.csvTicksSymbolStmt.iterate(datasetId, q.symbol, from, to);
  }

  tickCount(datasetId: number, symbol: string): number {
    return this.countStmt.get(datasetId, symbol) ?? 0;
  }

  /** Per (symbol, stream): count and trade id range. Scans the dataset's ticks once. */
  symbolStats(datasetId: number): SymbolTickStats[] {
    return this.countBySymbolStmt.all(datasetId).map((r) => ({ ...r, stream: streamOf(r.stream) }));
  }

  /** Lowest and highest stored trade id of a symbol's stream, or undefined when it has none. */
  tradeIdRange(
    datasetId: number,
    symbol: string,
    stream: TradeStream,
  ): { min: number; max: number } | undefined {
    const code = streamCode(stream);
    const r = this.idRangeStmt.get(datasetId, symbol, code, datasetId, symbol, code);
    return r && r.min !== null && r.max !== null ? { min: r.min, max: r.max } : undefined;
  }

  /** Symbols with stored ticks, alphabetically; O(symbols · log n). */
  tickSymbols(datasetId: number): string[] {
    return this.tickSymbolsStmt.all({ ds: datasetId });
  }

  /** Times of the first and last stored tick (by trade id per symbol), or undefined if none. */
  tickTimeRange(datasetId: number): { firstMs: number; lastMs: number } | undefined {
    const r = this.tickTimeRangeStmt.get({ ds: datasetId });
    return r && r.firstMs !== null && r.lastMs !== null
      ? { firstMs: r.firstMs, lastMs: r.lastMs }
      : undefined;
  }

  /** Symbols with bars of this timeframe, alphabetically. */
  barSymbols(datasetId: number, timeframeMs: number): string[] {
    return this.barSymbolsStmt.all(datasetId, timeframeMs);
  }

  /** Symbols with bars of any timeframe, alphabetically; O(symbols · log n). */
  barSymbolsAnyTimeframe(datasetId: number): string[] {
    return this.barSymbolsAnyStmt.all({ ds: datasetId });
  }

  /** A symbol's ticks of one stream, newest trade id first (streamed). */
  *newestTicks(
    datasetId: number,
    symbol: string,
    stream: TradeStream,
  ): Generator<Tick, void, undefined> {
    for (const row of this.newestStmt.iterate(datasetId, symbol, streamCode(stream)))
      yield rowToTick(row);
  }
}
