/**
 * Capture files → per-symbol bars through the live engine's core path: decodeMessage →
 * TickValidator (dedup, plausibility) → isBarEligible (MARKET only) → BarAggregator. Several files
 * are read in order as one stream (one validator, one aggregator), so a duplicate across files is
 * caught like a duplicate within one. Bad lines are counted with file:line and reason, never thrown.
 *
 * Single-threaded on purpose. Tried twice: a worker thread that read and byte-scanned the lines
 * and posted them in typed-array batches while this thread validated and aggregated. Under tsx
 * its start-up alone was ~0.2 s; with the prebuilt CLI (2026-11-21, 1M-trade file, 5 runs each)
 * ingest took 520–650 ms on two threads against 540–650 ms on one: reading and scanning is ~3/4
 * of the work, so the second core had little to take over. The per-line stage
 * (lineClassifier.ts) stays separate should a better split turn up.
 */
import { basename } from 'node:path';
import { BarAggregator, type BarSink } from '../../core/bars/barAggregator';
import type { Bar, Rejection, Tick } from '../../core/market/types';
import { RejectCounter } from '../../core/validation/rejectCounter';
import { isBarEligible, TickValidator } from '../../core/validation/tickValidator';
import { makeLineClassifier, overlongRejection } from './lineClassifier';
import { readLines, type ReadLinesResult } from './lineReader';

/** A bar close as alignCloses needs it. */
export interface BarClose {
  startMs: number;
  close: number;
}

/** One remembered rejection, for the report. */
export interface RejectSample {
  file: string;
  line: number;
  reason: string;
  field?: string;
  message: string;
}

export interface IngestStats {
  files: number;
  lines: number;
  /** Decompressed bytes read. */
  bytes: number;
  blankLines: number;
  /** Trades of the two symbols accepted into bars. */
  tradesUsed: number;
  /** Valid trades of the pair that are not MARKET (insurance fund, ADL): kept out of bars. */
  nonMarketTrades: number;
  /** Valid trade messages of other symbols (ignored). */
  otherSymbolTrades: number;
  /** Decoded trades per symbol, the pair's and others' (before validation), by symbol. */
  tradesBySymbol: Record<string, number>;
  /** bookTicker, subscription and error replies (ignored). */
  otherMessages: number;
  /** Lines rejected (decode, validation or bar too-late). */
  rejected: number;
  /** Rejections by reason (only reasons that occurred). */
  rejectCounts: Record<string, number>;
  /** The first rejections, with file and line, in input order. */
  rejectSamples: RejectSample[];
  /** Files that could not be read to the end (truncated gzip, I/O error). */
  readErrors: string[];
  /** Bars per symbol, including revisions. */
  barsPerSymbol: Record<string, number>;
  elapsedMs: number;
}

export interface IngestOptions {
  files: readonly string[];
  /** The pair's symbols (upper case), A then B; trades of others are ignored. */
  symbols: readonly [string, string];
  timeframeMs: number;
  /** How many rejections to keep with their line (default 20). */
  keepRejects?: number;
  /** Wall clock for the validator's "too far in the future" check (default Date.now). */
  now?: () => number;
}

export interface IngestResult {
  /** Closes per symbol, in delivery order (revisions come later and replace). */
  bars: Map<string, BarClose[]>;
  stats: IngestStats;
}

/** Validator, aggregator, counters and bars; fed in file order. */
class IngestCore {
  readonly bars = new Map<string, BarClose[]>();
  readonly validator: TickValidator;
  readonly aggregator: BarAggregator;
  readonly counter = new RejectCounter(0);
  readonly samples: RejectSample[] = [];
  file = '';
  /** Decoded trades of A and B (index 0, 1), valid or not. */
  readonly pairTrades = [0, 0];
  tradesUsed = 0;
  nonMarket = 0;

  constructor(
    readonly symbols: readonly [string, string],
    timeframeMs: number,
    private readonly keep: number,
    now: (() => number) | undefined,
  ) {
    const listA: BarClose[] = [];
    const listB: BarClose[] = [];
    this.bars.set(symbols[0], listA);
    this.bars.set(symbols[1], listB);
    const push = (bar: Bar): void => {
      (bar.symbol === symbols[0] ? listA : listB).push({ startMs: bar.startMs, close: bar.close });
    };
    // Revisions are pushed after the original: alignCloses keeps the later of equal starts.
    const sink: BarSink = { onBarClosed: push, onBarRevised: push };
    this.validator = new TickValidator({ now });
    this.aggregator = new BarAggregator([timeframeMs], sink);
  }

  reject(r: Rejection, lineNo: number): void {
    this.counter.add(r);
    if (this.samples.length < this.keep) {
      const s: RejectSample = {
        file: this.file,
        line: lineNo,
        reason: r.reason,
        message: r.message,
      };
      if (r.field !== undefined) s.field = r.field;
      this.samples.push(s);
    }
  }

  trade(tick: Tick, lineNo: number): void {
    const invalid = this.validator.validate(tick);
    if (invalid !== null) {
      this.reject(invalid, lineNo);
      return;
    }
    if (!isBarEligible(tick)) {
      this.nonMarket++;
      return;
    }
    const late = this.aggregator.add(tick);
    if (late !== null) this.reject(late, lineNo);
    else this.tradesUsed++;
  }
}

interface LineCounters {
  blank: number;
  otherSymbol: number;
  otherMessage: number;
  /** Trades per symbol outside the pair. */
  others: Map<string, number>;
}

interface ReadResult {
  counters: LineCounters;
  reads: ReadLinesResult[];
}

async function readAll(core: IngestCore, files: readonly string[]): Promise<ReadResult> {
  const counters: LineCounters = { blank: 0, otherSymbol: 0, otherMessage: 0, others: new Map() };
  const classify = makeLineClassifier(core.symbols[0], core.symbols[1], {
    trade: (tick, i, lineNo) => {
      core.pairTrades[i]++;
      core.trade(tick, lineNo);
    },
    rejected: (r, lineNo) => core.reject(r, lineNo),
    blank: () => counters.blank++,
    otherSymbol: (symbol) => {
      counters.otherSymbol++;
      counters.others.set(symbol, (counters.others.get(symbol) ?? 0) + 1);
    },
    otherMessage: () => counters.otherMessage++,
  });
  const reads: ReadLinesResult[] = [];
  for (const path of files) {
    core.file = basename(path);
    reads.push(
      await readLines(path, {
        line: classify.line,
        asciiLine: classify.asciiLine,
        overlong: (lineNo, bytes) => core.reject(overlongRejection(bytes), lineNo),
      }),
    );
  }
  return { counters, reads };
}

export async function ingestFiles(options: IngestOptions): Promise<IngestResult> {
  const t0 = performance.now();
  const core = new IngestCore(
    options.symbols,
    options.timeframeMs,
    options.keepRejects ?? 20,
    options.now,
  );
  const read = await readAll(core, options.files);
  core.aggregator.advance(Number.POSITIVE_INFINITY);

  const stats: IngestStats = {
    files: options.files.length,
    lines: 0,
    bytes: 0,
    blankLines: read.counters.blank,
    tradesUsed: core.tradesUsed,
    nonMarketTrades: core.nonMarket,
    otherSymbolTrades: read.counters.otherSymbol,
    tradesBySymbol: {},
    otherMessages: read.counters.otherMessage,
    rejected: core.counter.total,
    rejectCounts: {},
    rejectSamples: core.samples,
    readErrors: [],
    barsPerSymbol: {},
    elapsedMs: 0,
  };
  read.reads.forEach((r, i) => {
    stats.lines += r.lines;
    stats.bytes += r.bytes;
    if (r.error !== undefined) stats.readErrors.push(`${options.files[i]}: ${r.error}`);
  });
  for (const [reason, count] of Object.entries(core.counter.snapshot())) {
    if (count > 0) stats.rejectCounts[reason] = count;
  }
  for (const [s, list] of core.bars) stats.barsPerSymbol[s] = list.length;
  const seen = new Map(read.counters.others);
  core.symbols.forEach((s, i) => {
    if (core.pairTrades[i] > 0) seen.set(s, core.pairTrades[i]);
  });
  for (const s of [...seen.keys()].sort()) stats.tradesBySymbol[s] = seen.get(s) ?? 0;
  stats.elapsedMs = performance.now() - t0;
  return { bars: core.bars, stats };
}
