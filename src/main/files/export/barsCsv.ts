/** Bars as PairDesk's bar CSV (`pairdesk export --bars`): rows by symbol, then start time. */
import { csvRow } from '../../../core/csv/csvWriter';
import { BAR_CSV_HEADER, barCsvCells } from '../../../core/formats/exportHeaders';
import type { PairDeskStore } from '../../store/store';
import type { CsvOutput } from './csvOutput';

export interface BarsCsvQuery {
  datasetId: number;
  /** These symbols in this order; every symbol with bars of the timeframe when absent or []. */
  symbols?: readonly string[];
  timeframeMs: number;
  /** Inclusive range of bar starts (ms); unbounded sides when absent. */
  fromMs?: number;
  toMs?: number;
}

/** The symbols a bar export covers (see BarsCsvQuery.symbols). */
export function barExportSymbols(store: PairDeskStore, q: BarsCsvQuery): string[] {
  return q.symbols === undefined || q.symbols.length === 0
    ? store.barSymbols(q.datasetId, q.timeframeMs)
    : [...new Set(q.symbols)];
}

/** Streams bars from the store (one row in memory at a time); `out.fraction` = symbols done. */
export async function writeBarsCsv(
  store: PairDeskStore,
  out: CsvOutput,
  q: BarsCsvQuery,
): Promise<void> {
  out.add(csvRow(BAR_CSV_HEADER), 0);
  const toMs = q.toMs === undefined ? undefined : Math.floor(q.toMs) + 1; // store: exclusive
  const symbols = barExportSymbols(store, q);
  for (let i = 0; i < symbols.length; i++) {
    out.fraction = i / symbols.length;
    for (const b of store.iterateBars(q.datasetId, symbols[i], q.timeframeMs, {
      fromMs: q.fromMs,
      toMs,
    })) {
      out.add(csvRow(barCsvCells(b)));
      if (out.full) await out.flush();
    }
  }
}
