/**
 * `export.csv` (issue #10): bars, ticks, the analytics series and reject reports as CSV, with
 * the CLI's writers. Where there is a native save dialog the user picks the path; in browser
 * mode the file goes to `<dataDir>/downloads/<jobId>/<fileName>` and the browser server serves
 * it at `/files/download/<jobId>`. Progress goes to `onProgress` (≤ 5 Hz, then a final event);
 * an AbortSignal cancels, and a cancelled or failed export leaves no file behind.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../../../core/contract/contract';
import type { ExportRequest, ExportResult, TransferProgress } from '../../../core/contract/files';
import { TIMEFRAME_MS } from '../../../core/market/types';
import type { Platform } from '../../platform/interfaces';
import type { PairDeskStore } from '../../store/store';
import { storedPairAnalytics, writeAnalyticsCsv } from './analyticsCsv';
import { barExportSymbols, writeBarsCsv } from './barsCsv';
import { writeCsvFile, type CsvOutput, type CsvProgress } from './csvOutput';
import { exportFileName, rejectsFileName } from './fileNames';
import { rejectsReportPath, rejectsReportSize, writeRejectsCsv } from './rejectsCsv';
import { writeTicksCsv } from './ticksCsv';

export interface ExportServiceDeps {
  store: PairDeskStore;
  /** Browser-mode exports go to `<dataDir>/downloads/<jobId>/`; reports are read from `reports/`. */
  dataDir: string;
  /** Native save dialog; absent in browser mode. */
  platform?: Platform;
  settings: () => Settings;
  /** The dataset the views show: the default of bar and tick exports, and the analytics'. */
  viewedDatasetId: () => number;
  onProgress: (p: TransferProgress) => void;
}

/** Where the browser server serves a browser-mode export (`<dataDir>/downloads/<jobId>/`). */
export function downloadUrlOf(jobId: string): string {
  return `/files/download/${jobId}`;
}

/** What one export writes, decided before asking for a path (the name is the dialog's default). */
interface ExportPlan {
  fileName: string;
  datasetId: number | null;
  /** Known input size (reject reports), else 0. */
  bytesTotal: number;
  /** Reads through `reader` (a read-only connection when the store has one). */
  write: (out: CsvOutput, reader: PairDeskStore) => Promise<void>;
}

const CSV_FILTER = [{ name: 'CSV', extensions: ['csv'] }];

export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  /**
   * Runs one export. `jobId` (default a random UUID) is the id of its `transfer` events and of
   * the browser-mode download; pass one to be able to cancel by it before the first event.
   * Throws a plain Error when the request names something that does not exist (unknown dataset
   * or report, no bars for the selection); a failure while writing emits a final 'failed' event
   * and rethrows.
   */
  async run(
    request: ExportRequest,
    signal?: AbortSignal,
    jobId: string = randomUUID(),
  ): Promise<ExportResult> {
    const plan = this.plan(request);
    const result: ExportResult = {
      jobId,
      fileName: plan.fileName,
      savedTo: null,
      downloadUrl: null,
      rows: 0,
      bytes: 0,
      cancelled: true,
    };
    let path: string;
    let downloadDir: string | undefined;
    if (this.deps.platform) {
      const chosen = await this.deps.platform.saveDialog.askSavePath(plan.fileName, CSV_FILTER);
      if (chosen === null) return result;
      path = chosen;
    } else {
      downloadDir = join(this.deps.dataDir, 'downloads', jobId);
      mkdirSync(downloadDir, { recursive: true });
      path = join(downloadDir, plan.fileName);
    }

    const progress = new ProgressReporter(jobId, plan, this.deps.onProgress);
    const reader = this.deps.store.openReader();
    try {
      progress.emit('running', { rows: 0, bytes: 0, fraction: 0 });
      const written = await writeCsvFile(
        path,
        (out) => plan.write(out, reader ?? this.deps.store),
        { signal, onProgress: (p) => progress.emit('running', p) },
      );
      progress.emit(
        'done',
        { ...written, fraction: 1 },
        `exported ${written.rows.toLocaleString('en-US')} rows to ${plan.fileName}`,
      );
      return {
        ...result,
        savedTo: downloadDir === undefined ? path : null,
        downloadUrl: downloadDir === undefined ? null : downloadUrlOf(jobId),
        rows: written.rows,
        bytes: written.bytes,
        cancelled: false,
      };
    } catch (err) {
      if (downloadDir !== undefined) await rm(downloadDir, { recursive: true, force: true });
      if (signal?.aborted) {
        progress.emit('cancelled', null, 'export cancelled; the partial file was deleted');
        return result;
      }
      progress.emit('failed', null, `export failed: ${(err as Error).message}`);
      throw err;
    } finally {
      reader?.close();
    }
  }

  private plan(request: ExportRequest): ExportPlan {
    const { store } = this.deps;
    switch (request.what) {
      case 'ticks': {
        const datasetId = this.datasetId(request.datasetId);
        const symbols =
          request.symbols === undefined || request.symbols.length === 0
            ? undefined
            : [...new Set(request.symbols)].sort();
        const span = clampSpan(store.tickTimeRange(datasetId), request.fromMs, request.toMs);
        const query = { datasetId, symbols, fromMs: request.fromMs, toMs: request.toMs };
        return {
          fileName: exportFileName({
            what: 'ticks',
            symbols: symbols ?? store.tickSymbols(datasetId),
            firstMs: span?.firstMs ?? null,
            lastMs: span?.lastMs ?? null,
          }),
          datasetId,
          bytesTotal: 0,
          write: (out, reader) => writeTicksCsv(reader, out, query, span),
        };
      }
      case 'bars': {
        const datasetId = this.datasetId(request.datasetId);
        const query = {
          datasetId,
          symbols: request.symbols,
          timeframeMs: TIMEFRAME_MS[request.timeframe],
          fromMs: request.fromMs,
          toMs: request.toMs,
        };
        const symbols = barExportSymbols(store, query);
        const span = barSpan(store, query, symbols);
        return {
          fileName: exportFileName({
            what: 'bars',
            symbols,
            timeframe: request.timeframe,
            firstMs: span?.firstMs ?? null,
            lastMs: span?.lastMs ?? null,
          }),
          datasetId,
          bytesTotal: 0,
          write: (out, reader) => writeBarsCsv(reader, out, query),
        };
      }
      case 'analytics': {
        const datasetId = this.datasetId(undefined);
        const settings = this.deps.settings();
        const { series } = storedPairAnalytics(store, {
          datasetId,
          settings,
          fromMs: request.fromMs,
          toMs: request.toMs,
        });
        const n = series.startMs.length;
        return {
          fileName: exportFileName({
            what: 'analytics',
            symbols: [settings.pairA, settings.pairB],
            timeframe: settings.timeframe,
            firstMs: n > 0 ? series.startMs[0] : null,
            lastMs: n > 0 ? series.startMs[n - 1] : null,
          }),
          datasetId,
          bytesTotal: 0,
          write: (out) => writeAnalyticsCsv(out, series),
        };
      }
      case 'rejects': {
        const path = rejectsReportPath(this.deps.dataDir, request.reportId);
        return {
          fileName: rejectsFileName(request.reportId),
          datasetId: null,
          bytesTotal: rejectsReportSize(path, request.reportId),
          write: (out) => writeRejectsCsv(out, path),
        };
      }
    }
  }

  private datasetId(requested: number | undefined): number {
    const id = requested ?? this.deps.viewedDatasetId();
    if (this.deps.store.getDataset(id) === undefined) throw new Error(`there is no dataset ${id}`);
    return id;
  }
}

type Span = { firstMs: number; lastMs: number };

/** The dataset's tick span cut to the requested inclusive range; undefined when they miss. */
function clampSpan(span: Span | undefined, fromMs?: number, toMs?: number): Span | undefined {
  if (span === undefined) return undefined;
  const firstMs = Math.max(span.firstMs, fromMs ?? -Infinity);
  const lastMs = Math.min(span.lastMs, toMs ?? Infinity);
  return firstMs <= lastMs ? { firstMs, lastMs } : undefined;
}

/** First and last bar start of the export (index seeks per symbol); undefined when empty. */
function barSpan(
  store: PairDeskStore,
  q: { datasetId: number; timeframeMs: number; fromMs?: number; toMs?: number },
  symbols: readonly string[],
): Span | undefined {
  const range = { fromMs: q.fromMs, toMs: q.toMs === undefined ? undefined : q.toMs + 1 };
  let span: Span | undefined;
  for (const symbol of symbols) {
    const last = store.bars(q.datasetId, symbol, q.timeframeMs, { ...range, limitLast: 1 })[0];
    if (last === undefined) continue;
    let first = last.startMs;
    for (const b of store.iterateBars(q.datasetId, symbol, q.timeframeMs, range)) {
      first = b.startMs;
      break; // closes the iterator
    }
    span = {
      firstMs: Math.min(span?.firstMs ?? first, first),
      lastMs: Math.max(span?.lastMs ?? last.startMs, last.startMs),
    };
  }
  return span;
}

/** Builds TransferProgress events: rate over the last interval, ETA from the fraction. */
class ProgressReporter {
  private readonly startedMs = performance.now();
  private lastMs = this.startedMs;
  private lastRows = 0;
  private last: CsvProgress = { rows: 0, bytes: 0, fraction: 0 };

  constructor(
    private readonly jobId: string,
    private readonly plan: ExportPlan,
    private readonly sink: (p: TransferProgress) => void,
  ) {}

  emit(state: TransferProgress['state'], p: CsvProgress | null, message: string | null = null) {
    const now = performance.now();
    const at = p ?? this.last;
    const dt = now - this.lastMs;
    const rate = dt > 0 ? ((at.rows - this.lastRows) * 1000) / dt : 0;
    const elapsed = now - this.startedMs;
    const fraction = at.fraction === null ? null : Math.min(1, Math.max(0, at.fraction));
    this.sink({
      jobId: this.jobId,
      kind: 'export',
      label: this.plan.fileName,
      state,
      bytesDone: at.bytes,
      bytesTotal: this.plan.bytesTotal,
      lines: at.rows,
      linesPerSec: state === 'running' ? rate : elapsed > 0 ? (at.rows * 1000) / elapsed : 0,
      fraction,
      etaMs:
        state !== 'running'
          ? 0
          : fraction !== null && fraction > 0
            ? (elapsed * (1 - fraction)) / fraction
            : null,
      datasetId: this.plan.datasetId,
      message,
    });
    this.lastMs = now;
    this.lastRows = at.rows;
    this.last = at;
  }
}
