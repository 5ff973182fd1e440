/** Ticks as PairDesk's tick CSV (`pairdesk export --ticks`): rows by symbol, then time. */
import { csvCell, csvRow } from '../../../core/csv/csvWriter';
import { TICK_CSV_HEADER } from '../../../core/formats/exportHeaders';
import type { PairDeskStore } from '../../store/store';
import type { CsvOutput } from './csvOutput';

export interface TicksCsvQuery {
  datasetId: number;
  /** These symbols (alphabetically, duplicates once); every symbol of the dataset when absent. */
  symbols?: readonly string[];
  /** Inclusive range of trade times (ms); unbounded sides when absent. */
  fromMs?: number;
  toMs?: number;
}

/**
 * Streams the ticks from the store's iterator (one row in memory at a time). The decimal text as
 * received is written: full precision, and it parses to the same double. `out.fraction` follows
 * (symbols done + time through the current symbol's span) / symbols, `span` being the first and
 * last tick time of the export when known.
 */
export async function writeTicksCsv(
  store: PairDeskStore,
  out: CsvOutput,
  q: TicksCsvQuery,
  span?: { firstMs: number; lastMs: number },
): Promise<void> {
  out.add(csvRow(TICK_CSV_HEADER), 0);
  const toMs = q.toMs === undefined ? undefined : Math.floor(q.toMs) + 1; // store: exclusive
  // One query over all symbols (ordered by symbol, time, trade id) or one per symbol in the
  // same order: the same rows in the same order either way.
  const chosen = q.symbols === undefined ? undefined : [...new Set(q.symbols)].sort();
  const runs: (string | undefined)[] = chosen ?? [undefined];
  const symbolsTotal = chosen ?? store.tickSymbols(q.datasetId);
  const width = span === undefined ? 0 : Math.max(1, span.lastMs - span.firstMs);
  let symbolIndex = -1;
  let symbol: string | undefined;
  for (const run of runs) {
    for (const [sym, id, time, price, qty, ibm] of store.tickCsvCells(q.datasetId, {
      symbol: run,
      fromMs: q.fromMs,
      toMs,
    })) {
      // csvRow's cells, inlined: integers print as String(x), booleans as true/false.
      out.add(`${csvCell(sym)},${id},${time},${csvCell(price)},${csvCell(qty)},${ibm !== 0}\n`);
      if (out.full) {
        if (sym !== symbol) {
          symbol = sym;
          symbolIndex = symbolsTotal.indexOf(sym);
        }
        if (span !== undefined && symbolIndex >= 0) {
          const within = Math.min(1, Math.max(0, (time - span.firstMs) / width));
          out.fraction = (symbolIndex + within) / symbolsTotal.length;
        }
        await out.flush();
      }
    }
  }
}
