/**
 * One reader interface over every import format (#10): a line in, a tick or a bar (or a skip, or
 * a counted rejection) out. The importer and the replay source only see this; which format's
 * reader runs is decided once per file by `detectFormat`.
 *
 * - Trade formats (NDJSON captures, aggTrades, trades, PairDesk tick exports) yield validated
 *   ticks (`TickValidator`: dedup per symbol and stream, plausibility); bars are then built from
 *   them exactly as for live data.
 * - Bar formats (klines, generic OHLC CSV, PairDesk bar and analytics exports) yield bars of one
 *   timeframe (`bar.timeframeMs`), stored as they are; coarser timeframes are rolled up exactly.
 * - bookTicker files hold quotes, not trades: their reader refuses them with a clear reason.
 */
import type { ImportFormat } from '../contract/files';
import type { Bar, Tick } from '../market/types';
import type { TickValidator } from '../validation/tickValidator';
import type { LineResult, LineTally } from './common';
import type { Detected } from './detect';

/**
 * One line's content. A PairDesk analytics line holds both closes of the pair: it is one `bar`
 * row (the pair's first symbol) with the second symbol's bar in `second` — store both.
 */
export type ImportRow = { kind: 'tick'; tick: Tick } | { kind: 'bar'; bar: Bar; second?: Bar };

export interface RowReader {
  readonly format: ImportFormat;
  /** What `push` yields. */
  readonly yields: 'ticks' | 'bars';
  /** Counts per outcome and reason; the first 100 rejections kept. */
  readonly tally: LineTally;
  /** One line (without terminator; `lineNo` 1-based). Never throws. */
  push(line: string, lineNo: number): LineResult<ImportRow>;
}

export interface RowReaderOptions {
  /** What `detectFormat` said about the file. */
  detected: Detected;
  /** The file's symbol (file name or asked): required by one-symbol formats. */
  symbol?: string;
  /** Analytics exports: the pair (file name or asked). */
  pair?: readonly [string, string];
  /** Bar formats: the bar timeframe in ms when known (file name, inspection). */
  timeframeMs?: number;
  /**
   * Shared across the files of one import, so a duplicate across files is caught like one
   * within a file. Default: one of the reader's own.
   */
  validator?: TickValidator;
}
