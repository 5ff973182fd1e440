/**
 * Seeded, deterministic simulated futures market with a cointegrated structure. Pure: no clock,
 * no I/O; the caller supplies the start time and pulls events in time order.
 *
 * Model (continuous time t in seconds, exact discretisation between events):
 * - Common factor X(t): driftless Brownian motion, X(t+dt) = X(t) + σ_c·√dt·Z.
 * - Per symbol i an Ornstein–Uhlenbeck log-spread S_i with half-life h_i (κ_i = ln2 / h_i) and
 *   stationary standard deviation s_i:
 *   S_i(t+dt) = S_i(t)·e^(−κ_i·dt) + s_i·√(1 − e^(−2κ_i·dt))·Z, S_i(0) ~ N(0, s_i²).
 * - Log mid price: ln P_i(t) = ln P_i(0) + β_i·X(t) + S_i(t). Each log price is a random walk;
 *   ln P_j − (β_j/β_i)·ln P_i is stationary, so the pair is cointegrated with hedge ratio β_j/β_i
 *   (in log terms; the scale β sets how much of the common move each symbol carries).
 * - Taker orders arrive as a Poisson process with `rate` per second in total (exponential
 *   inter-arrival times); the symbol is drawn by `weight`, the side is a fair coin, the size is
 *   lognormal (median `medianQty`, log-sd `qtySigma`) rounded to the step (≥ 1 step). A buy
 *   lifts the ask, a sell hits the bid (one tick wide book around the mid). Each taker order is
 *   one aggTrade made of 1 + Geometric fills (mean `meanFillsPerAggTrade`) at the same price:
 *   trade ids are contiguous per symbol and the aggTrade's f/l span exactly its fills.
 * - After every taker order a book-ticker quote is produced for the traded symbol (its sizes
 *   changed) and for every other symbol whose best bid/ask moved.
 *
 * Random numbers: xoshiro128** seeded through splitmix32 (see prng.ts); same config and seed →
 * identical event sequence.
 */
import { formatUnits, parseIncrement, type Increment } from './decimal';
import { Rng } from './prng';

export interface SimSymbolConfig {
  /** Upper-case symbol, e.g. `BTCUSDT` (letters and digits only). */
  symbol: string;
  /** Mid price at t = 0. */
  startPrice: number;
  /** Tick size as Binance writes it; its decimals set the price text format (`"0.10"`). */
  tickSize: string;
  /** Quantity step (`"0.001"`). */
  stepSize: string;
  /** Loading on the common factor (> 0). */
  beta: number;
  /** Stationary standard deviation of the symbol's log-spread (e.g. 0.001 = 10 bp). */
  spreadStd: number;
  /** Half-life of the log-spread in seconds. */
  halfLifeSec: number;
  /** Relative share of taker orders (> 0). */
  weight: number;
  /** Median taker order size in base units. */
  medianQty: number;
  /** Log-standard deviation of the taker order size. */
  qtySigma: number;
  /** Median best bid/ask size in base units. */
  bookQtyMedian: number;
}

export interface SimMarketConfig {
  seed: number;
  /** Taker orders (= aggTrade messages) per second, all symbols together. */
  rate: number;
  /** Epoch ms of simulation time 0; trade times are floor(startTimeMs + t). */
  startTimeMs: number;
  /** σ_c: volatility of the common log-price factor per √second (1e-4 ≈ 2.9 % a day). */
  commonVolPerSqrtSec: number;
  /** Mean fills per aggTrade (≥ 1); the trade stream carries this many times `rate`. */
  meanFillsPerAggTrade: number;
  /** First aggregate id, trade id and book update id (per symbol for a and t). */
  firstAggId: number;
  firstTradeId: number;
  firstUpdateId: number;
  symbols: SimSymbolConfig[];
}

/** Presets with Binance USD-M tick/step sizes and realistic levels. */
export const SIM_SYMBOL_PRESETS: Readonly<Record<string, Omit<SimSymbolConfig, 'symbol'>>> = {
  BTCUSDT: {
    startPrice: 60_000,
    tickSize: '0.10',
    stepSize: '0.001',
    beta: 1,
    spreadStd: 0.0003,
    halfLifeSec: 60,
    weight: 1,
    medianQty: 0.01,
    qtySigma: 1.2,
    bookQtyMedian: 3,
  },
  ETHUSDT: {
    startPrice: 3_000,
    tickSize: '0.01',
    stepSize: '0.001',
    beta: 1.2,
    spreadStd: 0.0012,
    halfLifeSec: 60,
    weight: 1,
    medianQty: 0.1,
    qtySigma: 1.2,
    bookQtyMedian: 40,
  },
};

/** Used for symbols without a preset: a ~100 USDT contract, tick 0.01, step 0.01. */
export const GENERIC_SYMBOL_PRESET: Readonly<Omit<SimSymbolConfig, 'symbol'>> = {
  startPrice: 100,
  tickSize: '0.01',
  stepSize: '0.01',
  beta: 1.1,
  spreadStd: 0.002,
  halfLifeSec: 60,
  weight: 1,
  medianQty: 5,
  qtySigma: 1.2,
  bookQtyMedian: 500,
};

export type SimSymbolInput = string | (Partial<SimSymbolConfig> & { symbol: string });

export interface SimMarketInput {
  seed?: number;
  rate?: number;
  startTimeMs?: number;
  commonVolPerSqrtSec?: number;
  meanFillsPerAggTrade?: number;
  /** Overrides every symbol's half-life (seconds). */
  halfLifeSec?: number;
  firstAggId?: number;
  firstTradeId?: number;
  firstUpdateId?: number;
  /** Default: BTCUSDT and ETHUSDT. */
  symbols?: readonly SimSymbolInput[];
}

const SYMBOL_RE = /^[A-Z0-9]{2,30}$/;

/** Fills defaults and validates; throws RangeError with a plain message on bad input. */
export function resolveSimConfig(input: SimMarketInput = {}): SimMarketConfig {
  const symbolsIn = input.symbols ?? ['BTCUSDT', 'ETHUSDT'];
  if (symbolsIn.length === 0) throw new RangeError('the simulator needs at least one symbol');
  const symbols = symbolsIn.map((entry): SimSymbolConfig => {
    const given = typeof entry === 'string' ? { symbol: entry } : entry;
    const symbol = given.symbol.trim().toUpperCase();
    if (!SYMBOL_RE.test(symbol)) throw new RangeError(`invalid symbol ${JSON.stringify(symbol)}`);
    const preset = SIM_SYMBOL_PRESETS[symbol] ?? GENERIC_SYMBOL_PRESET;
    const cfg: SimSymbolConfig = { ...preset, ...given, symbol };
    if (input.halfLifeSec !== undefined) cfg.halfLifeSec = input.halfLifeSec;
    for (const key of [
      'startPrice',
      'beta',
      'halfLifeSec',
      'weight',
      'medianQty',
      'bookQtyMedian',
    ] as const) {
      if (!(Number.isFinite(cfg[key]) && cfg[key] > 0)) {
        throw new RangeError(`${symbol}: ${key} must be a finite number > 0, got ${cfg[key]}`);
      }
    }
    for (const key of ['spreadStd', 'qtySigma'] as const) {
      if (!(Number.isFinite(cfg[key]) && cfg[key] >= 0)) {
        throw new RangeError(`${symbol}: ${key} must be a finite number ≥ 0, got ${cfg[key]}`);
      }
    }
    parseIncrement(cfg.tickSize);
    parseIncrement(cfg.stepSize);
    return cfg;
  });
  const seen = new Set<string>();
  for (const s of symbols) {
    if (seen.has(s.symbol)) throw new RangeError(`duplicate symbol ${s.symbol}`);
    seen.add(s.symbol);
  }
  const config: SimMarketConfig = {
    seed: input.seed ?? 1,
    rate: input.rate ?? 50,
    startTimeMs: input.startTimeMs ?? 1_721_347_200_000,
    commonVolPerSqrtSec: input.commonVolPerSqrtSec ?? 1e-4,
    meanFillsPerAggTrade: input.meanFillsPerAggTrade ?? 1.5,
    firstAggId: input.firstAggId ?? 100_000_000,
    firstTradeId: input.firstTradeId ?? 5_000_000_000,
    firstUpdateId: input.firstUpdateId ?? 4_900_000_000_000,
    symbols,
  };
  if (!(Number.isFinite(config.rate) && config.rate > 0)) {
    throw new RangeError(`rate must be a finite number > 0, got ${config.rate}`);
  }
  if (!(Number.isFinite(config.commonVolPerSqrtSec) && config.commonVolPerSqrtSec >= 0)) {
    throw new RangeError('commonVolPerSqrtSec must be ≥ 0');
  }
  if (!(config.meanFillsPerAggTrade >= 1 && config.meanFillsPerAggTrade <= 20)) {
    throw new RangeError('meanFillsPerAggTrade must be within [1, 20]');
  }
  for (const key of ['startTimeMs', 'firstAggId', 'firstTradeId', 'firstUpdateId'] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] < 0) {
      throw new RangeError(`${key} must be a non-negative integer`);
    }
  }
  return config;
}

/** One fill of an aggregate trade (a `trade` stream message). */
export interface SimFill {
  tradeId: number;
  qtyText: string;
}

/** One taker order = one aggTrade message. */
export interface SimAggTrade {
  symbol: string;
  /** Trade time T (integer epoch ms). */
  timeMs: number;
  aggId: number;
  firstTradeId: number;
  lastTradeId: number;
  price: number;
  priceText: string;
  qty: number;
  qtyText: string;
  /** true = the seller was the aggressor. */
  isBuyerMaker: boolean;
  fills: SimFill[];
}

/** A best bid/offer update (a `bookTicker` message). */
export interface SimQuote {
  symbol: string;
  updateId: number;
  timeMs: number;
  bidText: string;
  bidQtyText: string;
  askText: string;
  askQtyText: string;
}

export interface SimEvent {
  /** Trade time (integer epoch ms). */
  timeMs: number;
  /** Exact simulation time in ms since start (fractional). */
  simTimeMs: number;
  trade: SimAggTrade;
  /** Quotes after the trade, in symbol order. */
  quotes: SimQuote[];
}

interface SymbolState {
  cfg: SimSymbolConfig;
  tick: Increment;
  step: Increment;
  logStart: number;
  kappa: number;
  spread: number;
  logMid: number;
  bidTicks: number;
  askTicks: number;
  lastQuotedBid: number;
  lastQuotedAsk: number;
  cumWeight: number;
  nextAggId: number;
  nextTradeId: number;
  medianLots: number;
  bookMedianLots: number;
}

export class SimMarket {
  readonly config: SimMarketConfig;
  private readonly rng: Rng;
  private readonly states: SymbolState[];
  private readonly bySymbol = new Map<string, SymbolState>();
  private readonly totalWeight: number;
  private readonly geometricP: number;
  private common = 0;
  private simTimeMs = 0;
  private nextTimeMs: number;
  private nextUpdateId: number;
  private eventCount = 0;

  constructor(input: SimMarketInput = {}) {
    this.config = resolveSimConfig(input);
    this.rng = new Rng(this.config.seed);
    let cum = 0;
    this.states = this.config.symbols.map((cfg) => {
      cum += cfg.weight;
      const tick = parseIncrement(cfg.tickSize);
      const step = parseIncrement(cfg.stepSize);
      const spread = cfg.spreadStd * this.rng.normal();
      const logStart = Math.log(cfg.startPrice);
      const state: SymbolState = {
        cfg,
        tick,
        step,
        logStart,
        kappa: Math.LN2 / cfg.halfLifeSec,
        spread,
        logMid: logStart + spread,
        bidTicks: -1,
        askTicks: -1,
        lastQuotedBid: -1,
        lastQuotedAsk: -1,
        cumWeight: cum,
        nextAggId: this.config.firstAggId,
        nextTradeId: this.config.firstTradeId,
        medianLots: Math.max(1, cfg.medianQty / step.value),
        bookMedianLots: Math.max(1, cfg.bookQtyMedian / step.value),
      };
      this.bySymbol.set(cfg.symbol, state);
      return state;
    });
    this.totalWeight = cum;
    this.geometricP = 1 / this.config.meanFillsPerAggTrade;
    this.nextUpdateId = this.config.firstUpdateId;
    this.nextTimeMs = this.rng.exponential(this.config.rate) * 1000;
  }

  get symbols(): string[] {
    return this.states.map((s) => s.cfg.symbol);
  }

  /** Number of events produced so far. */
  get count(): number {
    return this.eventCount;
  }

  /** Trade time (integer epoch ms) of the next event, without producing it. */
  peekTimeMs(): number {
    return Math.floor(this.config.startTimeMs + this.nextTimeMs);
  }

  /** Current model log mid price of a symbol (before tick rounding). */
  logMid(symbol: string): number {
    const state = this.bySymbol.get(symbol);
    if (!state) throw new RangeError(`unknown symbol ${symbol}`);
    return state.logMid;
  }

  /** Current common factor X(t). */
  commonFactor(): number {
    return this.common;
  }

  /** Produces the next taker order and the quotes after it. */
  next(): SimEvent {
    const rng = this.rng;
    const t = this.nextTimeMs;
    const dtSec = (t - this.simTimeMs) / 1000;
    this.simTimeMs = t;
    const timeMs = Math.floor(this.config.startTimeMs + t);

    // Advance the latent state exactly over dt.
    this.common += this.config.commonVolPerSqrtSec * Math.sqrt(dtSec) * rng.normal();
    for (const s of this.states) {
      const a = Math.exp(-s.kappa * dtSec);
      s.spread = s.spread * a + s.cfg.spreadStd * Math.sqrt(1 - a * a) * rng.normal();
      s.logMid = s.logStart + s.cfg.beta * this.common + s.spread;
    }

    // Which symbol trades, which side, how much.
    const pick = rng.next() * this.totalWeight;
    let traded = this.states[this.states.length - 1];
    for (const s of this.states) {
      if (pick < s.cumWeight) {
        traded = s;
        break;
      }
    }
    const isBuy = rng.bernoulli(0.5);
    let lots = Math.round(traded.medianLots * Math.exp(traded.cfg.qtySigma * rng.normal()));
    lots = Math.min(Math.max(lots, 1), Math.ceil(traded.medianLots * 1000));
    let fillCount = 1;
    if (this.geometricP < 1) {
      fillCount += Math.floor(Math.log(rng.nextOpen()) / Math.log(1 - this.geometricP));
    }
    fillCount = Math.min(fillCount, 50, lots);

    // Quotes for every symbol from the new mids; the trade executes against the traded one's.
    for (const s of this.states) this.updateTouch(s);
    const priceTicks = isBuy ? traded.askTicks : traded.bidTicks;
    const priceUnits = priceTicks * traded.tick.units;

    const fills: SimFill[] = [];
    const firstTradeId = traded.nextTradeId;
    const extra = lots - fillCount;
    const weights: number[] = [];
    let weightSum = 0;
    for (let i = 0; i < fillCount; i++) {
      const w = rng.next() + 1e-9;
      weights.push(w);
      weightSum += w;
    }
    let allocated = 0;
    for (let i = 0; i < fillCount; i++) {
      const share =
        i === fillCount - 1 ? extra - allocated : Math.floor((extra * weights[i]) / weightSum);
      allocated += share;
      fills.push({
        tradeId: traded.nextTradeId++,
        qtyText: formatUnits((1 + share) * traded.step.units, traded.step.decimals),
      });
    }

    const trade: SimAggTrade = {
      symbol: traded.cfg.symbol,
      timeMs,
      aggId: traded.nextAggId++,
      firstTradeId,
      lastTradeId: traded.nextTradeId - 1,
      price: priceUnits / 10 ** traded.tick.decimals,
      priceText: formatUnits(priceUnits, traded.tick.decimals),
      qty: (lots * traded.step.units) / 10 ** traded.step.decimals,
      qtyText: formatUnits(lots * traded.step.units, traded.step.decimals),
      isBuyerMaker: !isBuy,
      fills,
    };

    const quotes: SimQuote[] = [];
    for (const s of this.states) {
      const moved = s.bidTicks !== s.lastQuotedBid || s.askTicks !== s.lastQuotedAsk;
      if (!moved && s !== traded) continue;
      s.lastQuotedBid = s.bidTicks;
      s.lastQuotedAsk = s.askTicks;
      quotes.push({
        symbol: s.cfg.symbol,
        updateId: this.nextUpdateId++,
        timeMs,
        bidText: formatUnits(s.bidTicks * s.tick.units, s.tick.decimals),
        bidQtyText: this.bookQty(s),
        askText: formatUnits(s.askTicks * s.tick.units, s.tick.decimals),
        askQtyText: this.bookQty(s),
      });
    }

    this.nextTimeMs = t + rng.exponential(this.config.rate) * 1000;
    this.eventCount++;
    return { timeMs, simTimeMs: t, trade, quotes };
  }

  private updateTouch(s: SymbolState): void {
    const midTicks = Math.exp(s.logMid) / s.tick.value;
    const bid = Math.max(1, Math.floor(midTicks));
    s.bidTicks = bid;
    s.askTicks = bid + 1;
  }

  private bookQty(s: SymbolState): string {
    const lots = Math.max(1, Math.round(s.bookMedianLots * Math.exp(this.rng.normal())));
    return formatUnits(lots * s.step.units, s.step.decimals);
  }
}
