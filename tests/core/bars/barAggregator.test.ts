import { describe, expect, it } from 'vitest';
import { BarAggregator } from '../../../src/core/bars/barAggregator';
import { FeedClock } from '../../../src/core/bars/feedClock';
import type { Bar } from '../../../src/core/market/types';
import { barKey, RecordingSink, refSum, refSumOfProducts } from './exactReference';
import { mkTick } from './ticks';

const T0 = 1_721_347_200_000; // 5-minute aligned
const TFS = [1000, 60_000, 300_000];

function keys(bars: Iterable<Bar>): string[] {
  return [...bars].map((b) => barKey(b.symbol, b.timeframeMs, b.startMs));
}

class LogSink extends RecordingSink {
  readonly log: string[] = [];
  override onBarClosed(bar: Bar): void {
    super.onBarClosed(bar);
    this.log.push(`closed ${barKey(bar.symbol, bar.timeframeMs, bar.startMs)}`);
  }
  override onBarRevised(bar: Bar): void {
    super.onBarRevised(bar);
    this.log.push(`revised ${barKey(bar.symbol, bar.timeframeMs, bar.startMs)}`);
  }
}

describe('BarAggregator', () => {
  it('builds a bar with every field, open/close by (timeMs, tradeId) not arrival', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator([1000], sink);
    // Arrival order scrambled; two trades share timeMs 100 (ids decide).
    expect(agg.add(mkTick('X', 12, T0 + 100, '10.5', '2', true))).toBeNull();
    expect(agg.add(mkTick('X', 11, T0 + 100, '10.0', '1', false))).toBeNull();
    expect(agg.add(mkTick('X', 20, T0 + 900, '9.5', '0.5', false))).toBeNull();
    expect(agg.add(mkTick('X', 15, T0 + 500, '11', '0.1', true))).toBeNull();
    expect(sink.closed).toBe(0);
    agg.add(mkTick('X', 21, T0 + 1000, '9', '1')); // later interval closes the first
    expect(sink.closed).toBe(1);
    const bar = sink.final.get(barKey('X', 1000, T0));
    const QUOTE = refSumOfProducts([
      [10.5, 2],
      [10, 1],
      [9.5, 0.5],
      [11, 0.1],
    ]);
    expect(bar).toEqual({
      symbol: 'X',
      timeframeMs: 1000,
      startMs: T0,
      open: 10,
      high: 11,
      low: 9.5,
      close: 9.5,
      volume: refSum([2, 1, 0.5, 0.1]),
      quoteVolume: QUOTE,
      trades: 4,
      takerBuyVolume: 1.5,
      vwap: QUOTE / refSum([2, 1, 0.5, 0.1]),
    });
    expect(bar?.volume).toBe(3.6);
  });

  it('closes a quiet symbol by the feed clock at end + grace, never before', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator(TFS, sink, { graceMs: 250 });
    agg.add(mkTick('BUSY', 1, T0 + 10, '1', '1'));
    agg.add(mkTick('QUIET', 1, T0 + 20, '2', '1'));
    agg.add(mkTick('BUSY', 2, T0 + 1500, '1', '1')); // closes BUSY's first second only
    expect(keys(sink.final.values())).toEqual([barKey('BUSY', 1000, T0)]);

    agg.advance(T0 + 1249); // 1 ms before end + grace
    expect(sink.final.has(barKey('QUIET', 1000, T0))).toBe(false);
    agg.advance(T0 + 1250);
    expect(sink.final.has(barKey('QUIET', 1000, T0))).toBe(true);
    expect(sink.final.has(barKey('QUIET', 60_000, T0))).toBe(false);
    agg.advance(T0 + 60_249);
    expect(sink.final.has(barKey('QUIET', 60_000, T0))).toBe(false);
    agg.advance(T0 + 60_250);
    expect(sink.final.has(barKey('QUIET', 60_000, T0))).toBe(true);
    expect(sink.final.has(barKey('BUSY', 60_000, T0))).toBe(true);
    agg.advance(T0 + 300_249);
    expect(sink.final.has(barKey('QUIET', 300_000, T0))).toBe(false);
    agg.advance(T0 + 300_250);
    expect(sink.final.has(barKey('QUIET', 300_000, T0))).toBe(true);
    // BUSY: two 1 s bars, one 1 m, one 5 m; QUIET: one of each.
    expect(sink.closed).toBe(7);
    expect(sink.closedCount.get(barKey('BUSY', 1000, T0 + 1000))).toBe(1);
    agg.advance(T0 + 10_000_000); // nothing more to close, no duplicates
    expect(sink.closed).toBe(7);
    expect(sink.errors).toEqual([]);
  });

  it('closes on a tick of a later interval of the same symbol only', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator(TFS, sink);
    agg.add(mkTick('A', 1, T0 + 59_999, '1', '1'));
    agg.add(mkTick('B', 1, T0 + 61_000, '1', '1')); // another symbol: A stays open
    expect(sink.closed).toBe(0);
    agg.add(mkTick('A', 2, T0 + 60_000, '1', '1')); // exactly the next minute's start
    expect(keys(sink.final.values()).sort()).toEqual([
      barKey('A', 1000, T0 + 59_000),
      barKey('A', 60_000, T0),
    ]);
  });

  it('replay through FeedClock at any speed and from any date yields the same closed bars', () => {
    const base = [
      mkTick('A', 1, 100, '1', '1'),
      mkTick('B', 1, 200, '2', '1'),
      mkTick('A', 2, 2_100, '1.5', '2'),
      mkTick('A', 3, 61_000, '1.25', '1'),
      mkTick('A', 4, 61_001, '1.75', '3'),
      mkTick('A', 5, 200_000, '1', '1'), // B stays quiet from 200 ms on
    ];
    const replay = (dateMs: number, speed: number): Bar[] => {
      const sink = new RecordingSink();
      const agg = new BarAggregator(TFS, sink);
      const clock = new FeedClock();
      const ticks = base.map((t) => ({
        ...t,
        timeMs: t.timeMs + dateMs,
        eventTimeMs: t.eventTimeMs + dateMs,
      }));
      // Ticks are delivered at local time (E − first E) / speed; a 100 ms timer calls advance().
      // The clock carries forward at local speed, so a fast replay is closed mostly by ticks.
      let i = 0;
      for (let local = 0; local <= 400_000; local += 100) {
        while (i < ticks.length && (ticks[i].eventTimeMs - ticks[0].eventTimeMs) / speed <= local) {
          clock.observe(ticks[i].eventTimeMs, local);
          expect(agg.add(ticks[i++])).toBeNull();
        }
        agg.advance(clock.now(local));
      }
      expect(sink.errors).toEqual([]);
      return [...sink.final.values()]
        .map((b) => ({ ...b, startMs: b.startMs - dateMs }))
        .sort(
          (x, y) =>
            x.timeframeMs - y.timeframeMs ||
            x.symbol.localeCompare(y.symbol) ||
            x.startMs - y.startMs,
        );
    };
    const live = replay(T0, 1);
    expect(live.length).toBe(4 + 3 + 1 + 3); // A: four 1 s, three 1 m, one 5 m; B: one of each
    expect(replay(T0, 10)).toEqual(live);
    expect(replay(T0, 1000)).toEqual(live);
    expect(replay(T0 - 86_400_000 * 365, 37)).toEqual(live);
  });

  it('revises closed bars (all timeframes) on a late tick within the horizon', () => {
    const sink = new LogSink();
    const agg = new BarAggregator(TFS, sink);
    agg.add(mkTick('A', 10, T0 + 500, '100', '1'));
    agg.add(mkTick('A', 30, T0 + 61_000, '102', '1')); // closes second 0 and minute 0
    expect(sink.log).toEqual([`closed A|1000|${T0}`, `closed A|60000|${T0}`]);
    sink.log.length = 0;
    // Late tick into the closed second 0, earlier in time: becomes the new open.
    expect(agg.add(mkTick('A', 5, T0 + 400, '99', '2'))).toBeNull();
    expect(sink.log).toEqual([`revised A|1000|${T0}`, `revised A|60000|${T0}`]);
    const s0 = sink.final.get(barKey('A', 1000, T0));
    expect(s0?.open).toBe(99);
    expect(s0?.volume).toBe(3);
    expect(s0?.trades).toBe(2);
    // Late tick into a closed second that had no bar: first emission is 'closed'.
    sink.log.length = 0;
    agg.add(mkTick('A', 20, T0 + 30_500, '101', '1'));
    expect(sink.log).toEqual([`closed A|1000|${T0 + 30_000}`, `revised A|60000|${T0}`]);
    // The open 5 m bar contains everything so far, late ticks included.
    expect(agg.current('A', 300_000)).toMatchObject({
      trades: 4,
      volume: 5,
      open: 99,
      close: 102,
      low: 99,
    });
    expect(sink.errors).toEqual([]);
  });

  it('rejects too_late beyond the horizon and changes nothing', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator(TFS, sink, { horizonMs: 300_000 });
    agg.add(mkTick('A', 1, T0 + 10, '1', '1'));
    agg.add(mkTick('A', 2, T0 + 400_000, '1', '1'));
    expect(agg.watermarkMs('A')).toBe(T0 + 400_000);
    const before = agg.openBars('A');
    const r = agg.add(mkTick('A', 3, T0 + 99_999, '5', '1'));
    expect(r?.reason).toBe('too_late');
    expect(r?.message).toContain('A trade 3');
    expect(agg.openBars('A')).toEqual(before);
    expect(sink.revised).toBe(0);
    // Exactly at the horizon is still accepted (revises the closed bars).
    expect(agg.add(mkTick('A', 4, T0 + 100_000, '5', '1'))).toBeNull();
    expect(sink.revised).toBe(1); // 5 m revised; its 1 s and 1 m bars are new: emitted as closed
    expect(sink.final.get(barKey('A', 1000, T0 + 100_000))?.trades).toBe(1);
    expect(sink.final.get(barKey('A', 300_000, T0))?.trades).toBe(2);
    expect(sink.errors).toEqual([]);
  });

  it('quiet symbol: new symbol after the clock moved on is judged by the clock', () => {
    const agg = new BarAggregator(TFS, new RecordingSink(), { graceMs: 250, horizonMs: 600_000 });
    agg.advance(T0 + 1_000_000);
    expect(agg.add(mkTick('NEW', 1, T0 + 1_000_000 - 250 - 600_001, '1', '1'))?.reason).toBe(
      'too_late',
    );
    expect(agg.add(mkTick('NEW', 2, T0 + 1_000_000 - 250 - 600_000, '1', '1'))).toBeNull();
  });

  it('exposes in-progress bars and a per-tick hook', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator(TFS, sink);
    expect(agg.current('A', 1000)).toBeNull();
    agg.add(mkTick('A', 1, T0 + 1_100, '10', '1', false));
    agg.add(mkTick('A', 2, T0 + 2_100, '12', '3', true)); // closes second 1
    expect(sink.ticks).toBe(2);
    expect(agg.current('A', 1000)).toMatchObject({ startMs: T0 + 2000, open: 12, trades: 1 });
    // 1 m in progress = closed seconds (merged) + the open second.
    expect(agg.current('A', 60_000)).toMatchObject({
      startMs: T0,
      open: 10,
      close: 12,
      high: 12,
      low: 10,
      volume: 4,
      quoteVolume: 46,
      takerBuyVolume: 1,
      trades: 2,
      vwap: 11.5,
    });
    expect(agg.current('A', 7000)).toBeNull(); // not an emitted timeframe
    expect(keys(agg.openBars())).toEqual([
      barKey('A', 1000, T0 + 2000),
      barKey('A', 60_000, T0),
      barKey('A', 300_000, T0),
    ]);
    agg.advance(T0 + 3_250);
    expect(agg.current('A', 1000)).toBeNull();
    expect(agg.current('A', 60_000)?.trades).toBe(2);
  });

  it('ignores non-MARKET trades; validates options', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator(TFS, sink);
    expect(agg.add({ ...mkTick('A', 1, T0, '1', '1'), tradeType: 'INSURANCE_FUND' })).toBeNull();
    expect(agg.openBars()).toEqual([]);
    expect(() => new BarAggregator([1500], sink)).toThrow(RangeError);
    expect(() => new BarAggregator([], sink)).toThrow(RangeError);
    expect(() => new BarAggregator(TFS, sink, { horizonMs: 60_000 })).toThrow(RangeError);
    expect(new BarAggregator([300_000, 60_000, 60_000], sink).timeframesMs).toEqual([
      60_000, 300_000,
    ]);
  });

  it('forgets an idle symbol after the horizon and evicts retained bars', () => {
    const agg = new BarAggregator(TFS, new RecordingSink(), { horizonMs: 300_000 });
    for (let i = 0; i < 100; i++) agg.add(mkTick('A', i, T0 + i * 1000, '1', '1'));
    expect(agg.retainedBars('A')).toBe(100 + 2 + 1);
    agg.advance(T0 + 100_000 + 250 + 1000 + 300_000);
    // Evicted: bars with end ≤ watermark − horizon = T0 + 101 s: every 1 s bar and the first 1 m.
    expect(agg.retainedBars('A')).toBe(2);
    agg.advance(T0 + 600_250);
    expect(agg.retainedBars('A')).toBe(0);
    expect(agg.retainedBars()).toBe(0);
  });
});
