/**
 * The contract's "files in and out" section (issue #10): files the user picked or dropped,
 * imports and replays with progress, the dataset manager, and exports. Requests and events are
 * listed in contract.ts's RequestMap / EventMap; the shapes live here.
 *
 * Paths never cross to the renderer: a file the user opened (dialog, drop, browser upload) is
 * registered by main and handed back as an opaque `fileId`.
 */
import type { Timeframe } from '../market/types';

/** A file main accepted from the user (open dialog, drop, or browser upload). */
export interface PickedFile {
  /** Opaque id for `files.inspect`, `files.import`, `files.replay`. */
  id: string;
  name: string;
  sizeBytes: number;
}

/** Container of a picked file, from its first bytes (not its name). */
export type FileContainer = 'plain' | 'gzip' | 'zip';

/**
 * Content formats PairDesk reads (src/core/formats/detect.ts): Binance WebSocket captures,
 * data.binance.vision CSVs, PairDesk's own exports and generic OHLC(V) CSV.
 */
export type ImportFormat =
  | 'ndjson-raw'
  | 'ndjson-combined'
  | 'aggTrades'
  | 'trades'
  | 'klines'
  | 'bookTicker'
  | 'pairdesk-ticks'
  | 'pairdesk-bars'
  | 'pairdesk-analytics'
  | 'ohlc-csv';

/** One file (or zip member) as `files.inspect` found it. */
export interface FileInspection {
  fileId: string;
  name: string;
  /** Zip member name; null for a plain or gzip file. */
  member: string | null;
  container: FileContainer;
  sizeBytes: number;
  /** null when not recognised: `reason` then lists the accepted formats. */
  format: ImportFormat | null;
  /** Plain words: what was seen, e.g. "header matches futures aggTrades; times in ms". */
  reason: string;
  /** Symbols found (NDJSON content, PairDesk exports) or from the file name; [] if none. */
  symbols: string[];
  /** True when the symbol must be asked for: a one-symbol format whose name does not say it. */
  needsSymbol: boolean;
  /** Bars-only formats (klines, OHLC CSV, PairDesk bars): the bar timeframe found, if known. */
  barsTimeframe: Timeframe | null;
  /** Whether `files.replay` can play it (trade formats only). */
  replayable: boolean;
}

/** Import or replay request: the files form one dataset. */
export interface ImportRequest {
  fileIds: string[];
  /** Dataset label; default from the file names. */
  name?: string;
  /** Symbol per fileId, for files whose name does not say it (`needsSymbol`). */
  symbols?: Record<string, string>;
}

/** A rejected input line, for the report. */
export interface RejectedLine {
  /** File name (and `:member` inside a zip). */
  file: string;
  /** 1-based line number in that file or member. */
  line: number;
  reason: string;
  /** Column or field to blame, when one is. */
  field?: string;
  message: string;
}

/** Every rejected line counted by reason; the first 100 kept; the full list exportable. */
export interface RejectSummary {
  total: number;
  byReason: Record<string, number>;
  /** The first (at most 100) rejections in input order. */
  first: RejectedLine[];
  /** Id for `export.rejects` (the full report), null when nothing was rejected. */
  reportId: string | null;
}

/** What one file (or member) gave. */
export interface FileImportReport {
  name: string;
  member: string | null;
  format: ImportFormat | null;
  /** Lines read (data lines, header and blank lines included). */
  lines: number;
  ticks: number;
  bars: number;
  rejected: number;
  /**
   * Why reading stopped early, in plain words, e.g. "the gzip stream is truncated after
   * 1,204,332 bytes (line 20,114); the lines before it were imported". null when read to the end.
   */
  error: string | null;
}

export type JobState = 'running' | 'paused' | 'done' | 'cancelled' | 'failed';

/** The end of an import. */
export interface ImportResult {
  jobId: string;
  /**
   * The new dataset; null when the import was cancelled or failed before storing anything: a
   * cancelled import deletes its partial dataset (none is left).
   */
  datasetId: number | null;
  state: 'done' | 'cancelled' | 'failed';
  files: FileImportReport[];
  ticks: number;
  bars: number;
  rejects: RejectSummary;
  elapsedMs: number;
  /** Plain-words outcome, e.g. "imported 1,000,000 ticks of BTCUSDT into dataset 7". */
  message: string;
}

/** Progress of an import, a replay or an export; pushed as the `transfer` event (≤ 5 Hz). */
export interface TransferProgress {
  jobId: string;
  kind: 'import' | 'replay' | 'export';
  /** What is being processed, e.g. the file names or the export file name. */
  label: string;
  state: JobState;
  /** Input bytes read (compressed bytes for .gz / .zip) and their total; total 0 if unknown. */
  bytesDone: number;
  bytesTotal: number;
  /** Lines read (import, replay) or rows written (export). */
  lines: number;
  /** Recent rate (lines/s or rows/s). */
  linesPerSec: number;
  /** 0..1, null when unknown. */
  fraction: number | null;
  /** Estimated ms to go, null when unknown. */
  etaMs: number | null;
  datasetId: number | null;
  /** Set on the last event of a job: the outcome in words (or why it failed). */
  message: string | null;
}

/** Where a dataset came from. */
export type DatasetOrigin = 'live' | 'demo' | 'replay' | 'import';

/** One row of the dataset manager. */
export interface DatasetSummary {
  id: number;
  origin: DatasetOrigin;
  label: string;
  /** The file names it came from (replay, import), else null. */
  source: string | null;
  symbols: string[];
  /** First / last tick time (bar start for bars-only datasets), ms UTC; null while empty. */
  firstMs: number | null;
  lastMs: number | null;
  ticks: number;
  bars: number;
  /** Bars-only datasets (klines, OHLC CSV, PairDesk bars): the finest timeframe held. */
  barsOnly: Timeframe | null;
  /** Approximate bytes in the database (its share of the tick and bar tables). */
  sizeBytes: number;
  createdMs: number;
  /** The running source or an import is writing it: it cannot be deleted now. */
  active: boolean;
}

/**
 * What to export. Bars: one symbol or the pair; ticks: one or more symbols (all by default);
 * analytics: the current selection; rejects: an import's full reject report.
 */
export type ExportRequest =
  | {
      what: 'bars';
      /** Default: the dataset being viewed. */
      datasetId?: number;
      symbols: string[];
      timeframe: Timeframe;
      /** Inclusive range of bar starts (ms); whole dataset when absent. */
      fromMs?: number;
      toMs?: number;
    }
  | { what: 'ticks'; datasetId?: number; symbols?: string[]; fromMs?: number; toMs?: number }
  | { what: 'analytics'; fromMs?: number; toMs?: number }
  | { what: 'rejects'; reportId: string };

/**
 * An export's end. Where there is a native save dialog, `savedTo` is the path written (null if
 * the user cancelled); in browser mode the CSV is written under the data folder and
 * `downloadUrl` (same origin, token-protected) serves it once for the browser to download.
 */
export interface ExportResult {
  jobId: string;
  fileName: string;
  savedTo: string | null;
  downloadUrl: string | null;
  rows: number;
  bytes: number;
  cancelled: boolean;
}

/** Replay controls of the running replay. */
export type ReplayControl =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'restart' }
  | { action: 'speed'; speed: number };
