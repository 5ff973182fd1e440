/**
 * Exact roll-up (#10). Property: 1 s bars built from ticks by BarAggregator, rolled up to 1 m
 * (and 5 m), equal the aggregator's own 1 m (5 m) bars of the same ticks — open, high, low,
 * close, trades and start exactly; volumes and vwap within the rounding bounds below.
 *
 * Why not bit for bit, and the bounds (ε = 2⁻⁵², all terms positive). The aggregator stores
 * A = fl(S), S the exact sum of the ticks. The roll-up stores R = fl(Σ vᵢ), vᵢ = fl(Sᵢ) the fine
 * bars' rounded sums: Σ vᵢ = S(1 + γ) with |γ| ≤ ε/2, so |R − S| ≤ εS and |R − A| ≤ 1.5εS — at
 * most 3 ulp of the larger (an ulp of x is at least εx/2). With one fine bar R = v₁ = A exactly.
 * vwap: the aggregator's is fl(A_q / A_v), within 1.5ε of S_q/S_v; the roll-up's is
 * fl(fl(Σ exact vwapᵢ·vᵢ) / R_v) with vwapᵢ = fl(qᵢ/vᵢ): numerator within 1.5ε of S_q,
 * denominator within ε of S_v, the division ε/2 — 3ε; together at most 4.5ε, i.e. 9 ulp.
 * (An earlier (k + 1)/2-ulp bound was not a bound: fast-check found a 1 m bar of two 1 s bars
 * whose vwap differed by 4 ulp.) Measured: on the real capture 4 of 18 1 m bars (1 s → 1 m) and
 * 2 of 6 5 m bars (1 m → 5 m) differ, by at most 2 ulp.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarRollup, rollUpBars } from '../../../src/core/formats/rollup';
import type { Bar, Tick } from '../../../src/core/market/types';
import { barsOf, loadCapture } from '../../../scripts/make-format-fixtures';

/** Distance in units in the last place of the larger magnitude (0 when equal). */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const m = Math.max(Math.abs(a), Math.abs(b));
  const ulp = 2 ** (Math.floor(Math.log2(m)) - 52);
  return Math.abs(a - b) / ulp;
}

interface Stats {
  bars: number;
  volumeDiffering: number;
  maxUlps: number;
}

/** Checks `rolled` against `own` under the stated tolerance; returns what was observed. */
function compare(rolled: Bar[], own: Bar[], fineMs: number): Stats {
  expect(rolled.map((b) => [b.symbol, b.startMs])).toEqual(own.map((b) => [b.symbol, b.startMs]));
  const stats: Stats = { bars: own.length, volumeDiffering: 0, maxUlps: 0 };
  rolled.forEach((r, i) => {
    const o = own[i];
    expect([r.open, r.high, r.low, r.close, r.trades, r.timeframeMs]).toEqual([
      o.open,
      o.high,
      o.low,
      o.close,
      o.trades,
      o.timeframeMs,
    ]);
    // One fine bar (a single trade, or a coarse bar the size of a fine one): nothing to round.
    const single = o.trades === 1 || o.timeframeMs === fineMs;
    const u = [
      ulps(r.volume, o.volume),
      ulps(r.quoteVolume, o.quoteVolume),
      ulps(r.takerBuyVolume, o.takerBuyVolume),
    ];
    for (const x of u) expect(x).toBeLessThanOrEqual(single ? 0 : 3);
    expect(ulps(r.vwap, o.vwap)).toBeLessThanOrEqual(9);
    if (u.some((x) => x > 0)) stats.volumeDiffering++;
    stats.maxUlps = Math.max(stats.maxUlps, ...u, ulps(r.vwap, o.vwap));
  });
  return stats;
}

function bySymbolThenStart(a: Bar, b: Bar): number {
  return a.symbol.localeCompare(b.symbol) || a.startMs - b.startMs;
}

describe('rollUpBars against BarAggregator', () => {
  const { ticks } = loadCapture();

  it('real capture: 1 s → 1 m, 1 s → 5 m, 1 m → 5 m', () => {
    const s1 = barsOf(ticks, [1000]).sort(bySymbolThenStart);
    const m1 = barsOf(ticks, [60_000]).sort(bySymbolThenStart);
    const m5 = barsOf(ticks, [300_000]).sort(bySymbolThenStart);
    const roll = (bars: Bar[], t: number): Bar[] =>
      ['BTCUSDT', 'ETHUSDT'].flatMap((s) =>
        rollUpBars(
          bars.filter((b) => b.symbol === s),
          t,
        ),
      );
    const a = compare(roll(s1, 60_000), m1, 1000);
    const b = compare(roll(s1, 300_000), m5, 1000);
    const c = compare(roll(m1, 300_000), m5, 60_000);
    console.log(
      `[rollup] 1s→1m: ${a.volumeDiffering}/${a.bars} bars differ, max ${a.maxUlps} ulp; ` +
        `1s→5m: ${b.volumeDiffering}/${b.bars}, max ${b.maxUlps} ulp; ` +
        `1m→5m: ${c.volumeDiffering}/${c.bars}, max ${c.maxUlps} ulp`,
    );
    expect(a.bars).toBeGreaterThanOrEqual(16);
  });

  it('property: random ticks, 1 s bars rolled to 1 m = the aggregator’s 1 m bars', () => {
    const T0 = Date.UTC(2024, 6, 18, 23, 57);
    const tick = fc.record({
      dt: fc.integer({ min: 0, max: 5 * 60_000 }),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
      lots: fc.integer({ min: 1, max: 1_000_000 }),
      maker: fc.boolean(),
    });
    let worst = 0;
    fc.assert(
      fc.property(fc.array(tick, { minLength: 1, maxLength: 400 }), (raw) => {
        // In time order, as trades arrive (late ticks would make barsOf list revised bars too).
        const inOrder = [...raw].sort((x, y) => x.dt - y.dt);
        const ticks: Tick[] = inOrder.map((r, i) => ({
          symbol: 'BTCUSDT',
          tradeId: i,
          timeMs: T0 + r.dt,
          eventTimeMs: T0 + r.dt,
          price: r.cents / 100,
          qty: r.lots / 1000,
          priceText: String(r.cents / 100),
          qtyText: String(r.lots / 1000),
          isBuyerMaker: r.maker,
          stream: 'aggTrade',
          tradeType: 'MARKET',
        }));
        const s1 = barsOf(ticks, [1000]).sort(bySymbolThenStart);
        const m1 = barsOf(ticks, [60_000]).sort(bySymbolThenStart);
        worst = Math.max(worst, compare(rollUpBars(s1, 60_000), m1, 1000).maxUlps);
      }),
      {
        numRuns: 200,
        // fast-check's find against the earlier, wrong bound: vwap 4 ulp apart.
        examples: [
          [
            [
              { dt: 299000, cents: 5639681, lots: 806089, maker: false },
              { dt: 240000, cents: 9999991, lots: 863843, maker: false },
              { dt: 299000, cents: 1823546, lots: 804529, maker: false },
            ],
          ],
        ],
      },
    );
    console.log(`[rollup] property: worst difference ${worst} ulp`);
  });
});

describe('BarRollup', () => {
  const bar = (symbol: string, startMs: number, close: number, volume = 1): Bar => ({
    symbol,
    timeframeMs: 1000,
    startMs,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume,
    quoteVolume: close * volume,
    trades: 1,
    takerBuyVolume: volume / 2,
    vwap: volume > 0 ? close : NaN,
  });

  it('incremental over interleaved symbols = rollUpBars per symbol', () => {
    const bars: Bar[] = [];
    for (let s = 0; s < 150; s += 1 + (s % 3)) {
      bars.push(bar('AUSDT', s * 1000, 10 + (s % 7)), bar('BUSDT', s * 1000, 20 - (s % 5)));
    }
    const r = new BarRollup([60_000, 300_000]);
    const out: Bar[] = [];
    for (const b of bars) out.push(...r.push(b));
    out.push(...r.finish());
    for (const symbol of ['AUSDT', 'BUSDT']) {
      const own = bars.filter((b) => b.symbol === symbol);
      for (const t of [60_000, 300_000]) {
        expect(out.filter((b) => b.symbol === symbol && b.timeframeMs === t)).toEqual(
          rollUpBars(own, t),
        );
      }
    }
    expect(out.filter((b) => b.timeframeMs === 60_000)).toHaveLength(6);
    // Closed bars come out as soon as a later interval starts, before finish().
    const early = new BarRollup([60_000]);
    expect(early.push(bar('AUSDT', 0, 1))).toEqual([]);
    expect(early.push(bar('AUSDT', 60_000, 2))).toMatchObject([{ startMs: 0, close: 1 }]);
  });

  it('values: open first, close last, high max, low min, sums, volume-weighted vwap', () => {
    const [m] = rollUpBars(
      [bar('X', 0, 10, 1), bar('X', 5000, 30, 3), bar('X', 9000, 20, 0)],
      60_000,
    );
    expect(m).toEqual({
      symbol: 'X',
      timeframeMs: 60_000,
      startMs: 0,
      open: 10,
      high: 31,
      low: 9,
      close: 20,
      volume: 4,
      quoteVolume: 100,
      trades: 3,
      takerBuyVolume: 2,
      vwap: (10 * 1 + 30 * 3) / 4,
    });
    const [closeOnly] = rollUpBars([bar('X', 0, 10, 0), bar('X', 1000, 11, 0)], 60_000);
    expect(closeOnly.vwap).toBeNaN();
    const noVwap = { ...bar('X', 2000, 12, 5), vwap: NaN };
    expect(rollUpBars([bar('X', 0, 10, 1), noVwap], 60_000)[0].vwap).toBeNaN();
  });

  it('a late bar re-emits its interval with the new totals; non-multiples are skipped', () => {
    const r = new BarRollup([60_000]);
    r.push(bar('X', 0, 10));
    r.push(bar('X', 61_000, 11));
    const revised = r.push(bar('X', 30_000, 12));
    expect(revised).toMatchObject([{ startMs: 0, open: 10, close: 12, volume: 2, trades: 2 }]);
    const odd = new BarRollup([90_000, 1000]);
    expect(odd.push({ ...bar('X', 0, 1), timeframeMs: 60_000 })).toEqual([]);
    expect(odd.skipped).toBe(2);
    expect(rollUpBars([], 60_000)).toEqual([]);
  });
});
