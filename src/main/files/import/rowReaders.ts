/**
 * The importer's one entry to the format readers: a `RowReader` for a detected file. NDJSON
 * captures go through the live decoder (`decodeMessage`) and the shared `TickValidator`; the
 * data.binance.vision trade and kline CSVs through their core readers.
 *
 * TODO(#10): replace with `createRowReader` from src/core/formats once it lands there (it also
 * covers PairDesk's own exports and generic OHLC CSV); this file then becomes a re-export.
 */
import { decodeMessage } from '../../../core/binance/decode';
import { AggTradesReader } from '../../../core/formats/aggTrades';
import { LineTally, rejectLine, type LineResult } from '../../../core/formats/common';
import { KlinesReader } from '../../../core/formats/klines';
import type { ImportRow, RowReader, RowReaderOptions } from '../../../core/formats/rowReader';
import { TradesReader } from '../../../core/formats/trades';
import { TickValidator } from '../../../core/validation/tickValidator';

const SKIP_OTHER: LineResult<ImportRow> = { kind: 'skip', why: 'blank' };

/** NDJSON capture lines → validated ticks; bookTicker and subscription replies are skipped. */
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
    if (line.trim().length === 0) return { kind: 'skip', why: 'blank' };
    const m = decodeMessage(line);
    if (m.kind === 'rejected') {
      return rejectLine(m.rejection.reason, m.rejection.field, lineNo, m.rejection.message);
    }
    if (m.kind !== 'trade') return SKIP_OTHER;
    const r = this.validator.validate(m.tick);
    if (r !== null) return rejectLine(r.reason, r.field, lineNo, r.message);
    return { kind: 'item', item: { kind: 'tick', tick: m.tick } };
  }
}

/** A trade CSV reader seen as a RowReader. */
function tradeCsv(
  format: 'aggTrades' | 'trades',
  reader: AggTradesReader | TradesReader,
): RowReader {
  return {
    format,
    yields: 'ticks',
    tally: reader.tally,
    push(line, lineNo) {
      const r = reader.push(line, lineNo);
      return r.kind === 'item' ? { kind: 'item', item: { kind: 'tick', tick: r.item.tick } } : r;
    },
  };
}

/** The reader for one detected file, or why there is none. */
export function createImportRowReader(options: RowReaderOptions): RowReader | { error: string } {
  const d = options.detected;
  const validator = options.validator ?? new TickValidator();
  const symbol = options.symbol;
  switch (d.format) {
    case 'ndjson-raw':
    case 'ndjson-combined':
      return new NdjsonRowReader(d.format, validator);
    case 'aggTrades':
    case 'trades': {
      if (symbol === undefined) return { error: `${d.format} files need a symbol` };
      const reader =
        d.format === 'aggTrades'
          ? new AggTradesReader({ symbol, validator })
          : new TradesReader({ symbol, validator });
      return tradeCsv(d.format, reader);
    }
    case 'klines': {
      if (symbol === undefined) return { error: 'klines files need a symbol' };
      const reader = new KlinesReader({ symbol, timeframeMs: options.timeframeMs });
      return {
        format: 'klines',
        yields: 'bars',
        tally: reader.tally,
        push(line, lineNo) {
          const r = reader.push(line, lineNo);
          return r.kind === 'item' ? { kind: 'item', item: { kind: 'bar', bar: r.item.bar } } : r;
        },
      };
    }
    case 'bookTicker':
      return { error: 'bookTicker files hold best bid/ask quotes, not trades: nothing to import' };
    default:
      return { error: `${d.format} files cannot be imported yet` };
  }
}
