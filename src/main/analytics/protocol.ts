/**
 * Messages between the analytics host (main thread) and the analytics worker, and between the
 * analytics worker and its stationarity-tests worker. Every message carries the `epoch` of the
 * selection it belongs to: the host bumps it on every (re)configure and drops anything older, so
 * rows of a previous pair can never be appended to a new one.
 *
 * Large payloads are typed arrays sent in the transfer list (zero copy): stored bars on a
 * configure, column buffers on a series update, spread/closes to the tests worker.
 */
import type { AnalyticsSelection, StationarityReport } from '../../core/contract/contract';
import type { ColumnBuffers } from '../../core/analysis/analyticsColumns';

/** Stored bars of one leg, oldest first. */
export interface BarArrays {
  startMs: Float64Array;
  close: Float64Array;
}

/** A closed or revised bar of the selected pair at the selected timeframe. */
export interface LiveBar {
  /** 0 = pair A, 1 = pair B. */
  leg: 0 | 1;
  startMs: number;
  close: number;
  timeframeMs: number;
}

export interface WorkerSettings {
  /** Feed-clock grace (ms) before a quiet interval is final (the aggregator's). */
  graceMs: number;
  /** Scheduled stationarity run every this many new rows. */
  testEveryBars: number;
  /** A stationarity run longer than this is abandoned (its thread is terminated). */
  testBudgetMs: number;
  /** Live static β re-estimated every this many new rows. */
  staticRefitBars: number;
}

/** Request kinds answered by the worker. */
export type WorkerRequest =
  | { kind: 'series'; limit: number }
  | { kind: 'runTests' }
  | { kind: 'lastTests' }
  | { kind: 'perf' };

/** Timing figures measured inside the worker. */
export interface WorkerPerf {
  /** Rows appended live (not by a recompute) and the time spent on their bars/rows. */
  liveRows: number;
  liveMs: number;
  /** µs per live row (NaN before any). */
  usPerLiveRow: number;
  /** Last recompute: rows kept, ms (align + analytics), bars received. */
  recomputeRows: number;
  recomputeMs: number;
  recomputeBars: number;
  testsRuns: number;
  lastTestsMs: number;
}

export interface SeriesPayload {
  selection: AnalyticsSelection;
  columns: ColumnBuffers;
  warmup: string | null;
}

export type WorkerResponseValue =
  | { kind: 'series'; series: SeriesPayload }
  | { kind: 'report'; report: StationarityReport | null }
  | { kind: 'perf'; perf: WorkerPerf };

/** Host → analytics worker. */
export type HostToWorker =
  | {
      type: 'configure';
      epoch: number;
      selection: AnalyticsSelection;
      tfMs: number;
      settings: WorkerSettings;
      barsA: BarArrays;
      barsB: BarArrays;
      /** Feed time when the bars were read (null: no feed clock yet). */
      feedNowMs: number | null;
    }
  | { type: 'feed'; epoch: number; bars: LiveBar[]; feedNowMs: number | null }
  | { type: 'request'; id: number; request: WorkerRequest }
  /** Test hook: makes the worker throw from its message handler (crash/restart tests). */
  | { type: 'crash'; message: string }
  /** Test hook: makes the worker allocate until its heap limit kills it. */
  | { type: 'exhaustMemory' };

/** Analytics worker → host. */
export type WorkerToHost =
  | { type: 'ready' }
  | {
      type: 'series';
      epoch: number;
      reset: boolean;
      series: SeriesPayload;
    }
  | { type: 'stationarity'; epoch: number; report: StationarityReport }
  | { type: 'response'; id: number; ok: true; value: WorkerResponseValue }
  | { type: 'response'; id: number; ok: false; error: string };

/** Analytics worker → tests worker. */
export interface TestsJob {
  id: number;
  selection: AnalyticsSelection;
  tfMs: number;
  a: Float64Array;
  b: Float64Array;
  spread: Float64Array;
}

/** Tests worker → analytics worker. */
export interface TestsResult {
  id: number;
  report: StationarityReport;
}

/** workerData of both worker roles. */
export interface AnalyticsWorkerData {
  role: 'analytics' | 'tests';
  /** Where this worker's code is (WorkerEntry), so the analytics role can start its tests thread. */
  entryUrl: string;
  tsxApiUrl: string | undefined;
}
