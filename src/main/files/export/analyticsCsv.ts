/**
 * The analytics series of the current selection as CSV, computed from stored bars the way
 * `pairdesk analyze` computes it from bars (alignCloses → analyzePair) and written with the same
 * core row writer (ANALYTICS_CSV_HEADER, analyticsCsvRows), so the two files are byte-identical
 * for the same bars and options.
 */
import {
  ANALYTICS_CSV_HEADER,
  analyticsCsvRows,
  IsoTimeFormatter,
} from '../../../core/analysis/analyticsCsv';
import { analyzePair, type PairAnalysis } from '../../../core/analysis/pairAnalysis';
import type { Settings } from '../../../core/contract/contract';
import { TIMEFRAME_MS } from '../../../core/market/types';
import { alignCloses } from '../../../core/stats/align';
import type { PairDeskStore } from '../../store/store';
import type { CsvOutput } from './csvOutput';

/** Rows per text slice: bounds the string built at once (~100 bytes a row). */
const ROWS_PER_SLICE = 2_000;

export interface StoredAnalyticsQuery {
  datasetId: number;
  settings: Pick<
    Settings,
    | 'pairA'
    | 'pairB'
    | 'timeframe'
    | 'rollingWindow'
    | 'lookback'
    | 'hedgeMethod'
    | 'kalmanDelta'
    | 'kalmanVe'
  >;
  /** Inclusive range of bar starts (ms). Without a range, the selection's last `lookback` bars. */
  fromMs?: number;
  toMs?: number;
}

/**
 * Pair analytics over stored bars of the selection's timeframe. With a range every aligned bar
 * in it is analysed (as `analyze` analyses a whole file); without one, the last `lookback` bars,
 * as the views show. Throws a plain Error when a symbol has no bars there.
 */
export function storedPairAnalytics(store: PairDeskStore, q: StoredAnalyticsQuery): PairAnalysis {
  const { settings: s } = q;
  const tfMs = TIMEFRAME_MS[s.timeframe];
  const range = {
    fromMs: q.fromMs,
    toMs: q.toMs === undefined ? undefined : Math.floor(q.toMs) + 1, // store: exclusive
  };
  const barsA = store.bars(q.datasetId, s.pairA, tfMs, range);
  const barsB = store.bars(q.datasetId, s.pairB, tfMs, range);
  const absent = [barsA.length === 0 ? s.pairA : null, barsB.length === 0 ? s.pairB : null].filter(
    (x): x is string => x !== null,
  );
  if (absent.length > 0) {
    throw new Error(
      `no ${s.timeframe} bars of ${absent.join(' or ')} in dataset ${q.datasetId}` +
        (q.fromMs !== undefined || q.toMs !== undefined ? ' in the chosen range' : ''),
    );
  }
  const ranged = q.fromMs !== undefined || q.toMs !== undefined;
  return analyzePair(alignCloses(barsA, barsB, tfMs), {
    pair: `${s.pairA}/${s.pairB}`,
    timeframe: s.timeframe,
    window: s.rollingWindow,
    hedge: s.hedgeMethod,
    lookback: ranged ? undefined : s.lookback,
    kalman: { delta: s.kalmanDelta, ve: s.kalmanVe },
  });
}

/** Header and rows of the series, in slices; `out.fraction` follows the rows written. */
export async function writeAnalyticsCsv(
  out: CsvOutput,
  series: PairAnalysis['series'],
): Promise<void> {
  out.add(ANALYTICS_CSV_HEADER, 0);
  const fmt = new IsoTimeFormatter();
  const n = series.startMs.length;
  for (let i = 0; i < n; i += ROWS_PER_SLICE) {
    const end = Math.min(n, i + ROWS_PER_SLICE);
    out.add(analyticsCsvRows(series, i, end, fmt), end - i);
    out.fraction = end / n;
    if (out.full) await out.flush();
  }
}
