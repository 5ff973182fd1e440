/**
 * `analyze` over any import format (#10): data.binance.vision aggTrades / trades / klines CSV
 * (plain, .gz, .zip members), PairDesk tick / bar / analytics exports, generic OHLC CSV, and
 * NDJSON mixed in with them. Gives the same result shape as ingestFiles (the NDJSON-only fast
 * path, kept as it is for its speed).
 *
 * Trades go the same bar path as ingestFiles: one TickValidator across files → isBarEligible →
 * BarAggregator at the analysed timeframe. Bars of a file are used as they are when their
 * timeframe is the analysed one, rolled up exactly (BarRollup) when it is finer; a coarser one is
 * refused before reading (see `analyzeInputs`). Bad lines are counted with file:line and reason.
 */
import { BarAggregator, type BarSink } from '../../core/bars/barAggregator';
import { BarRollup } from '../../core/formats/rollup';
import type { RowReaderOptions } from '../../core/formats/rowReader';
import { createRowReader } from '../../core/formats/rowReaders';
import type { Bar, Rejection } from '../../core/market/types';
import { isBarEligible, TickValidator } from '../../core/validation/tickValidator';
import { detectMembers } from '../files/import/inspectFiles';
import { readInput } from '../files/input';
import type {
  BarClose,
  IngestOptions,
  IngestResult,
  IngestStats,
  RejectSample,
} from './ingestFiles';

/** Collects the pair's bars and the counters of IngestStats. */
class FormatsCore implements BarSink {
  readonly bars = new Map<string, BarClose[]>();
  readonly validator: TickValidator;
  readonly aggregator: BarAggregator;
  readonly rollup: BarRollup;
  readonly samples: RejectSample[] = [];
  readonly rejectCounts: Record<string, number> = {};
  readonly tradesBySymbol = new Map<string, number>();
  rejected = 0;
  tradesUsed = 0;
  nonMarket = 0;
  otherSymbol = 0;
  otherMessages = 0;
  blank = 0;
  file = '';

  constructor(
    readonly symbols: readonly [string, string],
    readonly timeframeMs: number,
    private readonly keep: number,
    now: (() => number) | undefined,
  ) {
    for (const s of symbols) this.bars.set(s, []);
    this.validator = new TickValidator({ now });
    this.aggregator = new BarAggregator([timeframeMs], this);
    this.rollup = new BarRollup([timeframeMs]);
  }

  onBarClosed(bar: Bar): void {
    this.bars.get(bar.symbol)?.push({ startMs: bar.startMs, close: bar.close });
  }

  onBarRevised(bar: Bar): void {
    // Revisions come after the original: alignCloses keeps the later of equal starts.
    this.onBarClosed(bar);
  }

  reject(r: Pick<Rejection, 'field' | 'message'> & { reason: string }, line: number): void {
    this.rejected++;
    this.rejectCounts[r.reason] = (this.rejectCounts[r.reason] ?? 0) + 1;
    if (this.samples.length < this.keep) {
      const s: RejectSample = { file: this.file, line, reason: r.reason, message: r.message };
      if (r.field !== undefined) s.field = r.field;
      this.samples.push(s);
    }
  }

  private isPair(symbol: string): boolean {
    return symbol === this.symbols[0] || symbol === this.symbols[1];
  }

  private seen(symbol: string): void {
    this.tradesBySymbol.set(symbol, (this.tradesBySymbol.get(symbol) ?? 0) + 1);
  }

  tick(tick: Parameters<BarAggregator['add']>[0], line: number): void {
    this.seen(tick.symbol);
    if (!this.isPair(tick.symbol)) {
      this.otherSymbol++;
      return;
    }
    if (!isBarEligible(tick)) {
      this.nonMarket++;
      return;
    }
    const late = this.aggregator.add(tick);
    if (late !== null) this.reject(late, line);
    else this.tradesUsed++;
  }

  bar(bar: Bar): void {
    this.seen(bar.symbol);
    if (!this.isPair(bar.symbol)) {
      this.otherSymbol++;
      return;
    }
    this.tradesUsed += bar.trades;
    if (bar.timeframeMs === this.timeframeMs) this.onBarClosed(bar);
    else for (const b of this.rollup.push(bar)) this.onBarClosed(b);
  }

  finish(): void {
    this.aggregator.advance(Number.POSITIVE_INFINITY);
    for (const b of this.rollup.finish()) this.onBarClosed(b);
  }
}

export async function ingestFormats(options: IngestOptions): Promise<IngestResult> {
  const t0 = performance.now();
  const core = new FormatsCore(
    options.symbols,
    options.timeframeMs,
    options.keepRejects ?? 20,
    options.now,
  );
  const stats: IngestStats = {
    files: options.files.length,
    lines: 0,
    bytes: 0,
    blankLines: 0,
    tradesUsed: 0,
    nonMarketTrades: 0,
    otherSymbolTrades: 0,
    tradesBySymbol: {},
    otherMessages: 0,
    rejected: 0,
    rejectCounts: {},
    rejectSamples: core.samples,
    readErrors: [],
    barsPerSymbol: {},
    elapsedMs: 0,
  };
  for (const path of options.files) {
    const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    const detections = await detectMembers(path, name);
    const read = await readInput(path, {
      member(member) {
        const d = detections.find((x) => x.member.member === member.member);
        core.file = member.member === null ? name : `${name}:${member.member}`;
        if (d === undefined || d.detected === null) {
          stats.readErrors.push(`${core.file}: ${d?.reason ?? 'not recognised'}`);
          return null;
        }
        const ro: RowReaderOptions = { detected: d.detected, validator: core.validator };
        if (d.symbols.length > 0) ro.symbol = d.symbols[0];
        if (d.barsTimeframeMs !== null) ro.timeframeMs = d.barsTimeframeMs;
        if (d.detected.format === 'pairdesk-analytics' && d.symbols.length === 2) {
          ro.pair = [d.symbols[0], d.symbols[1]];
        }
        const reader = createRowReader(ro);
        if ('error' in reader) {
          stats.readErrors.push(`${core.file}: ${reader.error}`);
          return null;
        }
        const file = core.file;
        return {
          line(text, lineNo) {
            const r = reader.push(text, lineNo);
            if (r.kind === 'item') {
              const row = r.item;
              if (row.kind === 'tick') core.tick(row.tick, lineNo);
              else {
                core.bar(row.bar);
                if (row.second !== undefined) core.bar(row.second);
              }
            } else if (r.kind === 'reject') {
              core.file = file;
              core.reject(r.reject, r.reject.line);
            } else if (r.why === 'blank') core.blank++;
            else core.otherMessages++;
          },
          overlong(lineNo, bytes) {
            core.reject(
              {
                reason: 'overlong_line',
                message: `line of ${bytes} bytes is longer than any record`,
              },
              lineNo,
            );
          },
        };
      },
    });
    for (const m of read.members) {
      stats.lines += m.lines;
      stats.bytes += m.bytes;
      if (m.error !== undefined) {
        const label = m.member.member === null ? path : `${path}:${m.member.member}`;
        stats.readErrors.push(`${label}: ${m.error}`);
      }
    }
    if (read.error !== undefined) stats.readErrors.push(`${path}: ${read.error}`);
  }
  core.finish();
  stats.blankLines = core.blank;
  stats.tradesUsed = core.tradesUsed;
  stats.nonMarketTrades = core.nonMarket;
  stats.otherSymbolTrades = core.otherSymbol;
  stats.otherMessages = core.otherMessages;
  stats.rejected = core.rejected;
  stats.rejectCounts = core.rejectCounts;
  for (const s of [...core.tradesBySymbol.keys()].sort()) {
    stats.tradesBySymbol[s] = core.tradesBySymbol.get(s) ?? 0;
  }
  for (const [s, list] of core.bars) stats.barsPerSymbol[s] = list.length;
  stats.elapsedMs = performance.now() - t0;
  return { bars: core.bars, stats };
}
