import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeMessageSlow,
  decodeTradeFast,
} from '../../../src/core/binance/decode';
import { TradeIdGapTracker, type TradeIdGap } from '../../../src/core/binance/gapTracker';
import { RejectCounter } from '../../../src/core/validation/rejectCounter';
import { isBarEligible, TickValidator } from '../../../src/core/validation/tickValidator';
import { CAPTURES, captureLines } from './captures';

// Counts from tests/fixtures/binance-real/README.md.
const EXPECTED = [
  { file: CAPTURES.um0718, btc: 10_701, eth: 13_655, book: 99_588 },
  { file: CAPTURES.um0808, btc: 21_313, eth: 14_076, book: 120_081 },
  { file: CAPTURES.spot0808, btc: 19_904, eth: 14_515, book: 131_932 },
];

interface RawEnvelope {
  stream: string;
  data: Record<string, string | number | boolean>;
}

describe.each(EXPECTED)('real capture $file', ({ file, btc, eth, book }) => {
  const lines = captureLines(file);

  it('decodes and validates every line with zero rejects; counts match the README', () => {
    const validator = new TickValidator({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      now: () => Date.UTC(2024, 7, 9, 1),
    });
    const rejects = new RejectCounter();
    const trades = new Map<string, number>();
    let books = 0;
    let other = 0;
    lines.forEach((line, k) => {
      const m = decodeMessage(line);
      if (m.kind === 'rejected') {
        rejects.add(m.rejection, { source: file, line: k + 1, raw: line });
      } else if (m.kind === 'trade') {
        const r = validator.validate(m.tick);
        if (r !== null) rejects.add(r, { source: file, line: k + 1, raw: line });
        else trades.set(m.tick.symbol, (trades.get(m.tick.symbol) ?? 0) + 1);
      } else if (m.kind === 'bookTicker') {
        books++;
      } else {
        other++;
      }
    });
    expect(rejects.recent()).toEqual([]);
    expect(rejects.total).toBe(0);
    expect(Object.fromEntries(trades)).toEqual({ BTCUSDT: btc, ETHUSDT: eth });
    expect(books).toBe(book);
    expect(other).toBe(0);
    expect(lines.length).toBe(btc + eth + book);
  });

  // Per-line checks collect mismatches in plain JS (a vitest expect per field × 450k lines is
  // slow) and assert once with the first offenders in view.
  it('takes the fast path for every trade line and agrees with the slow path on every line', () => {
    let fast = 0;
    const mismatches: string[] = [];
    for (const line of lines) {
      const slow = decodeMessageSlow(line);
      const f = decodeTradeFast(line);
      if (f !== null) fast++;
      if (
        (f !== null && !isDeepStrictEqual(f, slow)) ||
        !isDeepStrictEqual(decodeMessage(line), slow)
      ) {
        mismatches.push(line);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(fast).toBe(btc + eth);
  });

  it('matches an independent JSON.parse reading field by field', () => {
    const spot = file === CAPTURES.spot0808;
    const mismatches: string[] = [];
    for (const line of lines) {
      const o = JSON.parse(line) as RawEnvelope;
      const d = o.data;
      const m = decodeMessage(line);
      let expected: unknown;
      let actual: unknown;
      if (d.e === 'trade') {
        expected = {
          streamName: o.stream,
          symbol: d.s,
          tradeId: d.t,
          timeMs: d.T,
          eventTimeMs: d.E,
          priceText: d.p,
          qtyText: d.q,
          price: Number(d.p),
          qty: Number(d.q),
          isBuyerMaker: d.m,
          tradeType: spot ? 'MARKET' : d.X,
          stream: 'trade',
          barEligible: true,
        };
        actual =
          m.kind === 'trade'
            ? {
                streamName: m.streamName,
                symbol: m.tick.symbol,
                tradeId: m.tick.tradeId,
                timeMs: m.tick.timeMs,
                eventTimeMs: m.tick.eventTimeMs,
                priceText: m.tick.priceText,
                qtyText: m.tick.qtyText,
                price: m.tick.price,
                qty: m.tick.qty,
                isBuyerMaker: m.tick.isBuyerMaker,
                tradeType: m.tick.tradeType,
                stream: m.tick.stream,
                barEligible: isBarEligible(m.tick),
              }
            : m;
      } else {
        const b = {
          symbol: d.s,
          updateId: d.u,
          bidPrice: Number(d.b),
          bidQty: Number(d.B),
          askPrice: Number(d.a),
          askQty: Number(d.A),
        };
        expected = {
          kind: 'bookTicker',
          streamName: o.stream,
          book: spot ? b : { ...b, eventTimeMs: d.E, txTimeMs: d.T },
        };
        actual = m;
      }
      if (!isDeepStrictEqual(actual, expected)) mismatches.push(line);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('sees contiguous trade ids (no gaps), and reports exactly the ids of dropped lines', () => {
    const tradeLines = lines.filter((l) => l.includes('@trade"'));
    const noGaps = new TradeIdGapTracker();
    for (const l of tradeLines) {
      const m = decodeMessage(l);
      if (m.kind === 'trade') expect(noGaps.observe(m.tick)).toBeNull();
    }
    // Drop every 997th trade line (and a run of 3): the tracker must name exactly those ids.
    const tracker = new TradeIdGapTracker();
    const gaps: TradeIdGap[] = [];
    const dropped = new Map<string, number[]>();
    tradeLines.forEach((l, k) => {
      const m = decodeMessage(l);
      if (m.kind !== 'trade') return;
      const drop = (k > 0 && k % 997 === 0) || (k >= 5000 && k < 5003);
      if (drop) {
        const list = dropped.get(m.tick.symbol) ?? [];
        list.push(m.tick.tradeId);
        dropped.set(m.tick.symbol, list);
        return;
      }
      const g = tracker.observe(m.tick);
      if (g !== null) gaps.push(g);
    });
    const reported = new Map<string, number[]>();
    for (const g of gaps) {
      expect(g.count).toBe(g.toId - g.fromId + 1);
      const list = reported.get(g.symbol) ?? [];
      for (let id = g.fromId; id <= g.toId; id++) list.push(id);
      reported.set(g.symbol, list);
    }
    // Trailing drops (after a symbol's last kept trade) cannot be seen as gaps yet.
    for (const [symbol, ids] of dropped) {
      const last = tracker.lastId(symbol, 'trade') ?? -1;
      expect(reported.get(symbol) ?? []).toEqual(ids.filter((id) => id < last));
    }
    expect(gaps.length).toBeGreaterThan(10);
  });
});
