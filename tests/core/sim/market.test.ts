import { describe, expect, it } from 'vitest';
import {
  aggTradePayload,
  bookTickerPayload,
  formatUnits,
  parseIncrement,
  resolveSimConfig,
  Rng,
  SimMarket,
  tradePayload,
  type SimEvent,
} from '../../../src/core/sim';

function payloads(ev: SimEvent): string[] {
  const out = [aggTradePayload(ev.trade, ev.timeMs)];
  for (const f of ev.trade.fills) out.push(tradePayload(ev.trade, f, ev.timeMs));
  for (const q of ev.quotes) out.push(bookTickerPayload(q, ev.timeMs));
  return out;
}

function firstPayloads(seed: number, n: number): string[] {
  const m = new SimMarket({ seed, rate: 100 });
  const out: string[] = [];
  while (out.length < n) out.push(...payloads(m.next()));
  return out.slice(0, n);
}

/** OLS slope of x[t] on x[t-1] (with intercept). */
function ar1(x: number[]): number {
  const a = x.slice(0, -1);
  const b = x.slice(1);
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let saa = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
  }
  return sab / saa;
}

/** Variance of k-step changes. Grows linearly in k for a random walk, saturates when stationary. */
function changeVariance(x: number[], k: number): number {
  const d: number[] = [];
  for (let i = k; i < x.length; i++) d.push(x[i] - x[i - k]);
  const m = d.reduce((s, y) => s + y, 0) / d.length;
  return d.reduce((s, y) => s + (y - m) ** 2, 0) / d.length;
}

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('produces sane uniform, normal and exponential moments', () => {
    const r = new Rng(7);
    const n = 100_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let se = 0;
    let umin = 1;
    let umax = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      umin = Math.min(umin, u);
      umax = Math.max(umax, u);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      se += r.exponential(4);
    }
    expect(umin).toBeGreaterThanOrEqual(0);
    expect(umax).toBeLessThan(1);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(se / n).toBeCloseTo(0.25, 2);
  });
});

describe('decimal helpers', () => {
  it('parses tick sizes and formats fixed decimals', () => {
    expect(parseIncrement('0.10')).toEqual({ decimals: 2, units: 10, value: 0.1 });
    expect(parseIncrement('0.001')).toEqual({ decimals: 3, units: 1, value: 0.001 });
    expect(formatUnits(6394390, 2)).toBe('63943.90');
    expect(formatUnits(100, 3)).toBe('0.100');
    expect(formatUnits(5, 3)).toBe('0.005');
    expect(formatUnits(7, 0)).toBe('7');
    expect(() => parseIncrement('0')).toThrow(RangeError);
  });
});

describe('SimMarket', () => {
  it('is deterministic: same seed → identical first payloads; another seed differs', () => {
    const a = firstPayloads(1, 500);
    expect(firstPayloads(1, 500)).toEqual(a);
    expect(firstPayloads(2, 500)).not.toEqual(a);
  });

  it('writes payloads with Binance field order and tick/step formatting', () => {
    const m = new SimMarket({ seed: 3, rate: 100 });
    let btc = 0;
    let eth = 0;
    for (let i = 0; i < 2_000; i++) {
      const ev = m.next();
      const agg = JSON.parse(aggTradePayload(ev.trade, ev.timeMs + 1)) as Record<string, unknown>;
      expect(Object.keys(agg)).toEqual(['e', 'E', 's', 'a', 'p', 'q', 'nq', 'f', 'l', 'T', 'm']);
      const tr = JSON.parse(tradePayload(ev.trade, ev.trade.fills[0], ev.timeMs + 1)) as Record<
        string,
        unknown
      >;
      // Order of the real futures capture (um-btcusdt-ethusdt-2024-07-18).
      expect(Object.keys(tr)).toEqual(['e', 'E', 'T', 's', 't', 'p', 'q', 'X', 'm']);
      for (const q of ev.quotes) {
        const bt = JSON.parse(bookTickerPayload(q, ev.timeMs)) as Record<string, string>;
        expect(Object.keys(bt)).toEqual(['e', 'u', 's', 'b', 'B', 'a', 'A', 'T', 'E']);
        expect(Number(bt.a)).toBeGreaterThan(Number(bt.b));
      }
      if (ev.trade.symbol === 'BTCUSDT') {
        btc++;
        expect(agg.p).toMatch(/^\d+\.\d0$/); // tick 0.10
        expect(agg.q).toMatch(/^\d+\.\d{3}$/);
        expect(ev.trade.price).toBeGreaterThan(50_000);
        expect(ev.trade.price).toBeLessThan(70_000);
      } else {
        eth++;
        expect(agg.p).toMatch(/^\d+\.\d{2}$/);
        expect(agg.q).toMatch(/^\d+\.\d{3}$/);
        expect(ev.trade.price).toBeGreaterThan(2_500);
        expect(ev.trade.price).toBeLessThan(3_500);
      }
      expect(agg.T).toBe(ev.timeMs);
      expect(agg.E).toBe(ev.timeMs + 1);
    }
    expect(btc).toBeGreaterThan(800);
    expect(eth).toBeGreaterThan(800);
  });

  it('keeps ids contiguous per symbol and aggTrade f/l/q consistent with the fills', () => {
    const m = new SimMarket({ seed: 9, rate: 200, meanFillsPerAggTrade: 2 });
    const lastAgg = new Map<string, number>();
    const lastTrade = new Map<string, number>();
    let lastT = 0;
    let multiFill = 0;
    for (let i = 0; i < 5_000; i++) {
      const { trade, timeMs } = m.next();
      expect(timeMs).toBeGreaterThanOrEqual(lastT);
      lastT = timeMs;
      const prevA = lastAgg.get(trade.symbol);
      if (prevA !== undefined) expect(trade.aggId).toBe(prevA + 1);
      lastAgg.set(trade.symbol, trade.aggId);
      const prevT = lastTrade.get(trade.symbol);
      if (prevT !== undefined) expect(trade.firstTradeId).toBe(prevT + 1);
      expect(trade.fills.map((f) => f.tradeId)).toEqual(
        Array.from(
          { length: trade.lastTradeId - trade.firstTradeId + 1 },
          (_, k) => trade.firstTradeId + k,
        ),
      );
      lastTrade.set(trade.symbol, trade.lastTradeId);
      const lots = trade.fills.reduce((s, f) => s + Math.round(Number(f.qtyText) * 1000), 0);
      expect(lots).toBe(Math.round(Number(trade.qtyText) * 1000));
      for (const f of trade.fills) expect(Number(f.qtyText)).toBeGreaterThan(0);
      if (trade.fills.length > 1) multiFill++;
    }
    expect(multiFill).toBeGreaterThan(1_000);
  });

  it('has Poisson arrivals at the configured total rate', () => {
    const rate = 50;
    const m = new SimMarket({ seed: 5, rate });
    const gaps: number[] = [];
    let prev = 0;
    for (let i = 0; i < 20_000; i++) {
      const ev = m.next();
      gaps.push(ev.simTimeMs - prev);
      prev = ev.simTimeMs;
    }
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan((1000 / rate) * 0.97);
    expect(mean).toBeLessThan((1000 / rate) * 1.03);
    expect(sd / mean).toBeGreaterThan(0.95); // exponential: coefficient of variation 1
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('is cointegrated: the hedged log spread mean-reverts while each log price is a random walk', () => {
    const halfLifeSec = 10;
    const m = new SimMarket({ seed: 11, rate: 5, halfLifeSec });
    const betaBtc = m.config.symbols[0].beta;
    const betaEth = m.config.symbols[1].beta;
    const last = new Map<string, number>();
    const btc: number[] = [];
    const eth: number[] = [];
    const spread: number[] = [];
    let nextSample = halfLifeSec * 1000;
    while (btc.length < 2_000) {
      const ev = m.next();
      last.set(ev.trade.symbol, ev.trade.price);
      while (ev.simTimeMs >= nextSample) {
        nextSample += halfLifeSec * 1000;
        const pb = last.get('BTCUSDT');
        const pe = last.get('ETHUSDT');
        if (pb === undefined || pe === undefined) continue;
        btc.push(Math.log(pb));
        eth.push(Math.log(pe));
        spread.push(Math.log(pe) - (betaEth / betaBtc) * Math.log(pb));
      }
    }
    // Sampled once per half-life, the spread's AR(1) coefficient is 0.5 in theory.
    expect(ar1(spread)).toBeLessThan(0.7);
    expect(ar1(spread)).toBeGreaterThan(0.3);
    expect(ar1(btc)).toBeGreaterThan(0.95);
    expect(ar1(eth)).toBeGreaterThan(0.95);
    // Random walk: 100-step changes have ~10× the variance of 10-step changes (less the part of
    // the own OU noise, theory ≈ 8.6 for BTC and 4.0 for ETH with the presets); a stationary
    // spread's change variance has saturated at 2·Var(spread) already.
    expect(changeVariance(btc, 100) / changeVariance(btc, 10)).toBeGreaterThan(4);
    expect(changeVariance(eth, 100) / changeVariance(eth, 10)).toBeGreaterThan(2);
    expect(changeVariance(spread, 100) / changeVariance(spread, 10)).toBeLessThan(1.5);
  });

  it('rejects bad configuration with plain messages', () => {
    expect(() => resolveSimConfig({ rate: 0 })).toThrow(/rate/);
    expect(() => resolveSimConfig({ symbols: [] })).toThrow(/at least one/);
    expect(() => resolveSimConfig({ symbols: ['BTC-USDT'] })).toThrow(/invalid symbol/);
    expect(() => resolveSimConfig({ symbols: ['BTCUSDT', 'btcusdt'] })).toThrow(/duplicate/);
    expect(resolveSimConfig({ symbols: ['SOLUSDT'] }).symbols[0].tickSize).toBe('0.01');
  });
});
