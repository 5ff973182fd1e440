/**
 * `createRowReader`: the one entry from a detected file to its reader (#10), for every
 * `ImportFormat`, as a `RowReader` (line in → tick, bar, skip or counted rejection out).
 *
 * - Trade formats — NDJSON captures (raw or combined; any symbols), aggTrades and trades CSV (one
 *   symbol, given), PairDesk tick exports (symbols in the file) — yield ticks checked by one
 *   `TickValidator`: the `validator` option when given (shared by the files of one import, so a
 *   trade repeated across files is a duplicate), else one of the reader's own with a fixed clock.
 *   NDJSON lines that are not trades (bookTicker, subscription replies, other event types) are
 *   skipped as `not_a_trade`, not rejected.
 * - Bar formats — klines and OHLC CSV (one symbol, given), PairDesk bar exports (symbols in the
 *   file), PairDesk analytics exports (the pair, given; two close-only bars per line) — yield
 *   bars of one timeframe: the `timeframeMs` option, else what detection inferred from the head.
 *   Only 1 s, 1 m and 5 m are accepted (what PairDesk analyses).
 * - bookTicker files are refused: they hold quotes, not trades.
 */
import { decodeMessage } from '../binance/decode';
import type { ImportFormat } from '../contract/files';
import type { Bar } from '../market/types';
import type { TickValidator } from '../validation/tickValidator';
import { AggTradesReader } from './aggTrades';
import { AnalyticsCsvReader, closeOnlyBars } from './analyticsCsvReader';
import { unsupportedTimeframe } from './barTimeframe';
import { isBlank, LineTally, rejectLine, type LineResult } from './common';
import { KlinesReader } from './klines';
import { OhlcCsvReader } from './ohlcCsv';
import { openValidator, PairdeskTicksReader } from './pairdeskTicks';
import { PairdeskBarsReader } from './pairdeskBars';
import type { ImportRow, RowReader, RowReaderOptions } from './rowReader';
import { defaultValidator, type TradeRow } from './tradeLines';
import { TradesReader } from './trades';

export const BOOK_TICKER_REFUSAL =
  'bookTicker files hold quotes, not trades: PairDesk builds bars from trades — import the aggTrades or trades file of the same day';

/** NDJSON capture lines → validated ticks; other messages skipped. */
class NdjsonRowReader implements RowReader {
  readonly yields = 'ticks';
  readonly tally = new LineTally();

  constructor(
    readonly format: 'ndjson-raw' | 'ndjson-combined',
    private readonly validator: TickValidator,
  ) {}

  push(line: string, lineNo: number): LineResult<ImportRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<ImportRow> {
    if (isBlank(line)) return { kind: 'skip', why: 'blank' };
    const m = decodeMessage(line);
    if (m.kind === 'rejected') {
      const r = m.rejection;
      if (r.reason === 'unknown_message' && r.field === 'e' && hasStringEvent(line)) {
        return { kind: 'skip', why: 'not_a_trade' };
      }
      return rejectLine(r.reason, r.field, lineNo, r.message);
    }
    if (m.kind !== 'trade') return { kind: 'skip', why: 'not_a_trade' };
    const r = this.validator.validate(m.tick);
    if (r !== null) return rejectLine(r.reason, r.field, lineNo, r.message);
    return { kind: 'item', item: { kind: 'tick', tick: m.tick } };
  }
}

/** A well-formed Binance event of a type the decoder does not handle (e.g. depthUpdate). */
function hasStringEvent(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null) return false;
    const o = v as Record<string, unknown>;
    const payload = typeof o.stream === 'string' ? o.data : o;
    return (
      typeof payload === 'object' &&
      payload !== null &&
      typeof (payload as Record<string, unknown>).e === 'string'
    );
  } catch {
    return false;
  }
}

/** A reader of `T` seen as a RowReader, each item mapped to its row. */
function adapt<T>(
  format: ImportFormat,
  yields: 'ticks' | 'bars',
  reader: { tally: LineTally; push(line: string, lineNo: number): LineResult<T> },
  toRow: (item: T) => ImportRow,
): RowReader {
  return {
    format,
    yields,
    tally: reader.tally,
    push(line, lineNo) {
      const r = reader.push(line, lineNo);
      return r.kind === 'item' ? { kind: 'item', item: toRow(r.item) } : r;
    },
  };
}

const tickRow = (r: TradeRow): ImportRow => ({ kind: 'tick', tick: r.tick });
const barRow = (bar: Bar): ImportRow => ({ kind: 'bar', bar });

/** The reader for one detected file, or why there is none (in plain words). */
export function createRowReader(options: RowReaderOptions): RowReader | { error: string } {
  const d = options.detected;
  const format = d.format;
  const symbol = options.symbol?.toUpperCase();
  const needSymbol = (what: string): { error: string } => ({
    error: `${what} files hold one symbol and do not name it: give the symbol (e.g. BTCUSDT)`,
  });
  const timeframe = (): number | { error: string } => {
    const tf = options.timeframeMs ?? d.barsTimeframeMs;
    if (tf === undefined) {
      return {
        error: `the bar timeframe of this ${format} file is unknown (fewer than two bars of one symbol in its first lines): give it`,
      };
    }
    const why = unsupportedTimeframe(tf);
    return why === null ? tf : { error: why };
  };
  switch (format) {
    case 'ndjson-raw':
    case 'ndjson-combined':
      return new NdjsonRowReader(format, options.validator ?? openValidator());
    case 'aggTrades':
    case 'trades': {
      if (symbol === undefined) return needSymbol(format);
      const validator = options.validator ?? defaultValidator(symbol);
      const reader =
        format === 'aggTrades'
          ? new AggTradesReader({ symbol, validator })
          : new TradesReader({ symbol, validator });
      return adapt(format, 'ticks', reader, tickRow);
    }
    case 'pairdesk-ticks': {
      const reader = new PairdeskTicksReader({ validator: options.validator ?? openValidator() });
      return adapt(format, 'ticks', reader, tickRow);
    }
    case 'klines': {
      if (symbol === undefined) return needSymbol('klines');
      const tf = options.timeframeMs;
      if (tf !== undefined) {
        const why = unsupportedTimeframe(tf);
        if (why !== null) return { error: why };
      }
      const reader = new KlinesReader({ symbol, timeframeMs: tf });
      return adapt(format, 'bars', reader, (k) => barRow(k.bar));
    }
    case 'ohlc-csv': {
      if (symbol === undefined) return needSymbol('OHLC CSV');
      const tf = timeframe();
      if (typeof tf !== 'number') return tf;
      const reader = new OhlcCsvReader({
        symbol,
        timeframeMs: tf,
        layout: d.ohlc?.layout,
        timeUnit: d.ohlc?.timeUnit ?? undefined,
      });
      return adapt(format, 'bars', reader, barRow);
    }
    case 'pairdesk-bars': {
      const tf = timeframe();
      if (typeof tf !== 'number') return tf;
      return adapt(format, 'bars', new PairdeskBarsReader(tf), barRow);
    }
    case 'pairdesk-analytics': {
      const pair = options.pair;
      if (pair === undefined) {
        return {
          error:
            'analytics files hold the closes of a pair and do not name it: give the pair (e.g. BTCUSDT/ETHUSDT)',
        };
      }
      const tf = timeframe();
      if (typeof tf !== 'number') return tf;
      const names: [string, string] = [pair[0].toUpperCase(), pair[1].toUpperCase()];
      return adapt(format, 'bars', new AnalyticsCsvReader(tf), (row) => {
        const [a, b] = closeOnlyBars(row, names, tf);
        return { kind: 'bar', bar: a, second: b };
      });
    }
    case 'bookTicker':
      return { error: BOOK_TICKER_REFUSAL };
  }
}
