/**
 * An import (#10): one or more files (plain, .gz, .zip members) into ONE new dataset (kind
 * `replay`, origin `import`), as fast as the store takes it.
 *
 * Trade formats: every file's reader shares one `TickValidator` (a duplicate across files is
 * caught like one within a file); each valid tick is stored and, when MARKET, fed to one
 * `BarAggregator` over 1 s / 1 m / 5 m exactly as the live path (ingestPipeline.ts) does, a tick
 * the aggregator refuses as too late being rejected rather than stored. The aggregator keeps a
 * watermark per symbol, so the ETH file read after the whole BTC file is not "late". Bars close at
 * the end with `advance(+∞)`. Bar formats: bars stored at their own timeframe, coarser 1 m / 5 m
 * rolled up exactly; the dataset is then bars-only.
 *
 * Cancel: a cancelled import deletes its partial dataset and its reject report (the contract's
 * "none" choice): a dataset either holds whole files or does not exist. If nothing at all was
 * imported the result is `failed` and no dataset is left either. Bad lines never stop an import;
 * they are counted by reason, the first 100 kept, all written to the reject report.
 */
import { stat } from 'node:fs/promises';
import {
  DEFAULT_TIMEFRAMES_MS,
  BarAggregator,
  type BarSink,
} from '../../../core/bars/barAggregator';
import type {
  FileImportReport,
  ImportResult,
  RejectSummary,
  TransferProgress,
} from '../../../core/contract/files';
import type { LineResult } from '../../../core/formats/common';
import { ACCEPTED_FORMATS } from '../../../core/formats/detect';
import type { ImportRow, RowReader, RowReaderOptions } from '../../../core/formats/rowReader';
import { BarRollup } from '../../../core/formats/rollup';
import { createRowReader } from '../../../core/formats/rowReaders';
import type { Bar, Tick } from '../../../core/market/types';
import { isBarEligible, TickValidator } from '../../../core/validation/tickValidator';
import { MAX_DECIMAL_TEXT_CHARS } from '../../ingest/ingestPipeline';
import { openImportWriter, type ImportWriter } from '../../store/importWriter';
import type { PairDeskStore } from '../../store/store';
import { readInput } from '../input';
import type { MemberReadResult } from '../input/types';
import { detectMembers, type MemberDetection } from './inspectFiles';
import { datasetLabel } from './label';
import { ProgressMeter } from './progressMeter';
import { RejectReport, reportIdFor } from './rejectReport';

export interface ImportDeps {
  store: PairDeskStore;
  /** The data folder; reject reports go to `<dataDir>/reports/`. */
  dataDir: string;
}

export interface ImportFile {
  path: string;
  /** Display name (the base name the user sees). */
  name: string;
  /** For one-symbol formats whose name does not say it (`needsSymbol`). */
  symbol?: string;
}

export interface ImportOptions {
  /** Dataset label; default derived from the file names. */
  name?: string;
  jobId: string;
  signal?: AbortSignal;
  /** Progress events: at most every 200 ms, plus a final one. */
  onProgress?: (p: TransferProgress) => void;
  /** Clock (ms) for progress and elapsed time. Default Date.now. */
  now?: () => number;
  /**
   * Write on a separate thread with its own connection (store/importWriter.ts), or through the
   * store's own batch writer on this thread. Default: the thread for files of
   * THREADED_WRITES_MIN_BYTES or more in all, where overlapping parse and write pays for
   * starting it.
   */
  threadedWrites?: boolean;
}

/**
 * Input bytes from which an import writes on its own thread: ~40 k trades of CSV or ~400 k
 * zipped, about where the overlap (~2 µs of SQLite per tick) outweighs starting the thread
 * (~50 ms built, ~0.5 s under tsx).
 */
export const THREADED_WRITES_MIN_BYTES = 4 * 1024 * 1024;

/** Lines between progress checks inside a chunk (a clock read per line would cost). */
const PROGRESS_EVERY_LINES = 8192;

const int = (n: number): string => n.toLocaleString('en-US');

/** Ticks and bars of the whole import, into the store. */
class ImportSink implements BarSink {
  ticks = 0;
  bars = 0;
  readonly aggregator = new BarAggregator(DEFAULT_TIMEFRAMES_MS, this);
  readonly rollup = new BarRollup(DEFAULT_TIMEFRAMES_MS);
  /** The report of the file that last gave a symbol's data: its bars count there. */
  readonly fileOfSymbol = new Map<string, FileImportReport>();
  readonly symbols = new Set<string>();

  constructor(
    private readonly writer: ImportWriter,
    readonly datasetId: number,
  ) {}

  onBarClosed(bar: Bar): void {
    this.storeBar(bar);
  }

  onBarRevised(bar: Bar): void {
    this.storeBar(bar);
  }

  storeBar(bar: Bar): void {
    this.writer.enqueueBar(this.datasetId, bar);
    this.bars++;
    const file = this.fileOfSymbol.get(bar.symbol);
    if (file !== undefined) file.bars++;
  }

  /** Null when stored, else why the tick was refused (text too long, too late for its bar). */
  tick(tick: Tick): { reason: string; field?: string; message: string } | null {
    if (
      tick.priceText.length > MAX_DECIMAL_TEXT_CHARS ||
      tick.qtyText.length > MAX_DECIMAL_TEXT_CHARS
    ) {
      const price = tick.priceText.length > MAX_DECIMAL_TEXT_CHARS;
      return {
        reason: price ? 'bad_price' : 'bad_qty',
        field: price ? 'price' : 'qty',
        message: `${price ? 'price' : 'quantity'} text is longer than ${MAX_DECIMAL_TEXT_CHARS} characters`,
      };
    }
    if (isBarEligible(tick)) {
      const late = this.aggregator.add(tick);
      if (late !== null) return late;
    }
    this.writer.enqueueTick(this.datasetId, tick);
    this.ticks++;
    return null;
  }

  bar(bar: Bar): void {
    this.storeBar(bar);
    for (const coarse of this.rollup.push(bar)) this.storeBar(coarse);
  }

  /** Closes every open bar, stores the roll-ups and commits; rejects when a write failed. */
  async finish(): Promise<void> {
    this.aggregator.advance(Number.POSITIVE_INFINITY);
    for (const bar of this.rollup.finish()) this.storeBar(bar);
    await this.writer.finish();
  }
}

/**
 * The dataset's bars-only timeframe: the finest bar timeframe when every recognised member is a
 * bar format, else null (any trade file makes it a tick dataset).
 */
function barsOnlyTimeframe(members: readonly MemberDetection[]): number | null {
  const usable = members.filter((m) => m.detected !== null);
  if (usable.length === 0 || usable.some((m) => m.barsTimeframeMs === null)) return null;
  return Math.min(...usable.map((m) => m.barsTimeframeMs as number));
}

function fileLabel(d: MemberDetection): string {
  return d.member.member === null ? d.member.name : `${d.member.name}:${d.member.member}`;
}

function emptyReport(d: MemberDetection): FileImportReport {
  return {
    name: d.member.name,
    member: d.member.member,
    format: d.detected?.format ?? null,
    lines: 0,
    ticks: 0,
    bars: 0,
    rejected: 0,
    error: null,
  };
}

function truncationText(read: MemberReadResult | undefined, error: string | undefined): string {
  const what = read?.error ?? error ?? 'reading stopped early';
  return `${what}; the ${int(read?.lines ?? 0)} lines before it were imported`;
}

function outcome(
  state: ImportResult['state'],
  datasetId: number | null,
  sink: ImportSink | null,
  rejects: RejectSummary,
  failure: string | null,
): string {
  if (state === 'cancelled') return 'import cancelled; no dataset was kept';
  if (state === 'failed') return `import failed: ${failure ?? 'nothing could be imported'}`;
  const symbols = [...(sink?.symbols ?? [])].sort().join(', ');
  const parts: string[] = [];
  if ((sink?.ticks ?? 0) > 0) parts.push(`${int(sink?.ticks ?? 0)} ticks`);
  parts.push(`${int(sink?.bars ?? 0)} bars`);
  const rej = rejects.total > 0 ? `; ${int(rejects.total)} lines rejected` : '';
  return `imported ${parts.join(' and ')} of ${symbols} into dataset ${datasetId}${rej}`;
}

/** Imports `files` into one new dataset; never throws for bad input (see the module comment). */
export async function runImport(
  deps: ImportDeps,
  files: readonly ImportFile[],
  options: ImportOptions,
): Promise<ImportResult> {
  const now = options.now ?? Date.now;
  const t0 = now();
  const { store } = deps;
  let bytesTotal = 0;
  for (const f of files) {
    bytesTotal += await stat(f.path).then(
      (s) => s.size,
      () => 0,
    );
  }
  // Started before detection, so the thread is up by the time the first batch is ready.
  const writer = openImportWriter(store, {
    threaded: options.threadedWrites ?? bytesTotal >= THREADED_WRITES_MIN_BYTES,
  });
  const detections: MemberDetection[][] = [];
  try {
    for (const f of files) detections.push(await detectMembers(f.path, f.name));
  } catch (err) {
    await writer.abort(); // no thread left running behind an exception
    throw err;
  }
  const label = options.name ?? datasetLabel(files, detections);
  const meter = new ProgressMeter({
    jobId: options.jobId,
    label: files.map((f) => f.name).join(', '),
    bytesTotal,
    onProgress: options.onProgress,
    now,
  });
  const report = new RejectReport(deps.dataDir, reportIdFor(options.jobId));
  const reports: FileImportReport[] = [];
  let dataset;
  try {
    dataset = store.createDataset('replay', label, files.map((f) => f.name).join(', '), {
      origin: 'import',
      barsOnlyTimeframeMs: barsOnlyTimeframe(detections.flat()),
    });
  } catch (err) {
    await writer.abort();
    // A read-only or damaged database: nothing was written, say why.
    const message = `import failed: cannot create a dataset (${(err as Error).message.split('\n')[0]})`;
    meter.final('failed', null, message);
    const rejects: RejectSummary = { total: 0, byReason: {}, first: [], reportId: null };
    return {
      jobId: options.jobId,
      datasetId: null,
      state: 'failed',
      files: [],
      ticks: 0,
      bars: 0,
      rejects,
      elapsedMs: now() - t0,
      message,
    };
  }
  meter.datasetId = dataset.id;
  const sink = new ImportSink(writer, dataset.id);
  const validator = new TickValidator();
  let failure: string | null = null;
  let cancelled = false;
  const finishFailed = async (state: 'cancelled' | 'failed'): Promise<ImportResult> => {
    // The writer thread must have stopped before its dataset goes.
    await writer.abort();
    store.deleteDatasetAndReclaim(dataset.id);
    report.discard();
    const rejects: RejectSummary = {
      total: report.total,
      byReason: { ...report.byReason },
      first: [...report.first],
      reportId: null,
    };
    const message = outcome(state, null, sink, rejects, failure);
    meter.final(state, null, message);
    return {
      jobId: options.jobId,
      datasetId: null,
      state,
      files: reports,
      ticks: state === 'cancelled' ? sink.ticks : 0,
      bars: state === 'cancelled' ? sink.bars : 0,
      rejects,
      elapsedMs: now() - t0,
      message,
    };
  };

  try {
    let bytesBefore = 0;
    for (let i = 0; i < files.length && !cancelled; i++) {
      const file = files[i];
      const byMember = new Map<string | null, MemberDetection>();
      for (const d of detections[i]) byMember.set(d.member.member, d);
      const fileSize = await stat(file.path).then(
        (s) => s.size,
        () => 0,
      );
      // Unreadable or unrecognised at detection: reported, the others go on.
      const unusable = detections[i].filter((d) => d.detected === null);
      if (unusable.length === detections[i].length) {
        for (const d of unusable) {
          const r = emptyReport(d);
          r.error = d.reason.includes('accepted formats')
            ? d.reason
            : `${d.reason}; accepted formats: ${ACCEPTED_FORMATS}`;
          reports.push(r);
        }
        bytesBefore += fileSize;
        meter.bytesDone = bytesBefore;
        continue;
      }
      const memberReports = new Map<string | null, FileImportReport>();
      const read = await readInput(file.path, {
        signal: options.signal,
        onProgress(bytes) {
          meter.bytesDone = bytesBefore + bytes;
          meter.tick();
        },
        member(member) {
          const d = byMember.get(member.member) ?? {
            member: { ...member, name: file.name },
            detected: null,
            reason: 'not seen when the file was inspected',
            symbols: [],
            needsSymbol: false,
            barsTimeframeMs: null,
            replayable: false,
          };
          const r = emptyReport(d);
          memberReports.set(member.member, r);
          reports.push(r);
          if (d.detected === null) {
            r.error = d.reason.includes('accepted formats')
              ? d.reason
              : `${d.reason}; accepted formats: ${ACCEPTED_FORMATS}`;
            return null;
          }
          const symbol = file.symbol?.toUpperCase() ?? d.symbols[0];
          if (d.needsSymbol && file.symbol === undefined) {
            r.error =
              d.detected.format === 'pairdesk-analytics'
                ? `the analytics file ${fileLabel(d)} does not say its pair in its name; rename it like BTCUSDT-ETHUSDT-1m-analytics-….csv`
                : `the ${d.detected.format} file ${fileLabel(d)} does not say its symbol in its name; give it (e.g. --symbol BTCUSDT)`;
            return null;
          }
          const readerOptions: RowReaderOptions = { detected: d.detected, validator };
          if (symbol !== undefined) readerOptions.symbol = symbol;
          if (d.barsTimeframeMs !== null) readerOptions.timeframeMs = d.barsTimeframeMs;
          if (d.detected.format === 'pairdesk-analytics' && d.symbols.length === 2) {
            readerOptions.pair = [d.symbols[0], d.symbols[1]];
          }
          const reader = createRowReader(readerOptions);
          if ('error' in reader) {
            r.error = reader.error;
            return null;
          }
          return lineHandler(reader, r, fileLabel(d));
        },
      });
      for (const m of read.members) {
        const r = memberReports.get(m.member.member);
        if (r === undefined) continue;
        r.lines = m.lines;
        if (m.error !== undefined) r.error = truncationText(m, undefined);
      }
      if (read.error !== undefined) {
        const last = reports[reports.length - 1];
        if (last !== undefined && memberReports.size > 0) {
          last.error = last.error ?? `${read.error}; the members before it were imported`;
        } else {
          reports.push({ ...emptyReport(detections[i][0]), error: read.error });
        }
      }
      if (read.cancelled || (options.signal?.aborted ?? false)) cancelled = true;
      bytesBefore += fileSize;
      meter.bytesDone = bytesBefore;
      meter.tick();
    }
    if (cancelled) return finishFailed('cancelled');
    await sink.finish();
  } catch (err) {
    failure = `the store refused a write (${(err as Error).message.split('\n')[0]})`;
    return finishFailed('failed');
  }

  if (sink.ticks === 0 && sink.bars === 0) {
    const reasons = reports.filter((r) => r.error !== null).map((r) => `${r.name}: ${r.error}`);
    failure = reasons.length > 0 ? reasons.join(' · ') : 'no tick or bar in the files';
    return finishFailed('failed');
  }
  const rejects = report.finish();
  const message = outcome('done', dataset.id, sink, rejects, null);
  meter.final('done', dataset.id, message);
  return {
    jobId: options.jobId,
    datasetId: dataset.id,
    state: 'done',
    files: reports,
    ticks: sink.ticks,
    bars: sink.bars,
    rejects,
    elapsedMs: now() - t0,
    message,
  };

  function lineHandler(reader: RowReader, r: FileImportReport, label: string) {
    let lastSymbol = '';
    const handle = (res: LineResult<ImportRow>, lineNo: number): void => {
      if (res.kind === 'item') {
        const row = res.item;
        if (row.kind === 'tick') {
          const refused = sink.tick(row.tick);
          if (refused !== null) {
            r.rejected++;
            report.add(label, lineNo, refused.reason, refused.field, refused.message);
            return;
          }
          r.ticks++;
          if (row.tick.symbol !== lastSymbol) {
            // Its bars closed from now on count for this file.
            lastSymbol = row.tick.symbol;
            sink.symbols.add(lastSymbol);
            sink.fileOfSymbol.set(lastSymbol, r);
          }
        } else {
          for (const bar of row.second === undefined ? [row.bar] : [row.bar, row.second]) {
            sink.symbols.add(bar.symbol);
            sink.fileOfSymbol.set(bar.symbol, r);
            sink.bar(bar);
          }
        }
      } else if (res.kind === 'reject') {
        r.rejected++;
        const j = res.reject;
        report.add(label, j.line, j.reason, j.field, j.message);
      }
    };
    return {
      line(text: string, lineNo: number): void {
        handle(reader.push(text, lineNo), lineNo);
        if (++meter.lines % PROGRESS_EVERY_LINES === 0) meter.tick();
      },
      overlong(lineNo: number, bytes: number): void {
        meter.lines++;
        r.rejected++;
        report.add(
          label,
          lineNo,
          'overlong_line',
          undefined,
          `line of ${int(bytes)} bytes is longer than any record`,
        );
      },
    };
  }
}
