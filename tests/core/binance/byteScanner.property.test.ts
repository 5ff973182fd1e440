/**
 * The byte-level fast path: bookTicker fast ≡ slow (real captures and fuzzed layouts), and
 * scanFastAt over a range inside a larger buffer (what `analyze` does on file chunks) gives
 * exactly what decodeMessage gives on the line alone, whatever bytes surround the range.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  decodeBookTickerFast,
  decodeMessage,
  decodeMessageSlow,
  decodeTradeFast,
  FAST_BOOK,
  FAST_NONE,
  FAST_TRADE,
  fastTick,
  fillFastTick,
  ReusableTick,
  scanFastAt,
} from '../../../src/core/binance/decode';
import type { Tick } from '../../../src/core/market/types';
import { CAPTURES, captureLines } from './captures';

type Field = [key: string, valueJson: string];

function render(fields: Field[], stream: string | undefined): string {
  const body = `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  return stream === undefined ? body : `{"stream":${JSON.stringify(stream)},"data":${body}}`;
}

const uint15 = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999_999_999 }),
  fc.constantFrom(0, 1, 10, 999_999_999_999_999, 4_984_028_370_881, 1_721_347_022_507),
);
const decimal = fc.oneof(
  fc.stringMatching(/^[0-9]{1,12}(\.[0-9]{1,10})?$/),
  fc.stringMatching(/^[0-9]{14,20}\.[0-9]{5,12}$/), // beyond the exact digit range
  fc.constantFrom('0', '0.00000000', '63943.90', '2683.80000000', '007.5'),
);
const symbol = fc.stringMatching(/^[A-Z0-9]{1,12}$/);
const streamName = fc.option(fc.stringMatching(/^[a-z0-9@!_ -]{0,24}$/), { nil: undefined });

const futuresBook = fc
  .record({
    u: uint15,
    s: symbol,
    b: decimal,
    B: decimal,
    a: decimal,
    A: decimal,
    T: uint15,
    E: uint15,
  })
  .map((r): Field[] => [
    ['e', '"bookTicker"'],
    ['u', String(r.u)],
    ['s', `"${r.s}"`],
    ['b', `"${r.b}"`],
    ['B', `"${r.B}"`],
    ['a', `"${r.a}"`],
    ['A', `"${r.A}"`],
    ['T', String(r.T)],
    ['E', String(r.E)],
  ]);

const spotBook = fc
  .record({ u: uint15, s: symbol, b: decimal, B: decimal, a: decimal, A: decimal })
  .map((r): Field[] => [
    ['u', String(r.u)],
    ['s', `"${r.s}"`],
    ['b', `"${r.b}"`],
    ['B', `"${r.B}"`],
    ['a', `"${r.a}"`],
    ['A', `"${r.A}"`],
  ]);

const canonicalBook = fc.record({ fields: fc.oneof(futuresBook, spotBook), stream: streamName });

/** Own enumerable fields of a Tick plus its texts (a ReusableTick has them as getters). */
function tickFields(t: Tick): Tick {
  return {
    symbol: t.symbol,
    tradeId: t.tradeId,
    timeMs: t.timeMs,
    eventTimeMs: t.eventTimeMs,
    price: t.price,
    qty: t.qty,
    priceText: t.priceText,
    qtyText: t.qtyText,
    isBuyerMaker: t.isBuyerMaker,
    stream: t.stream,
    tradeType: t.tradeType,
  };
}

const scratch = new ReusableTick();

/**
 * Scans `line` placed at `pre.length` inside pre + line + post (ASCII), as analyze does, and checks
 * the outcome against decodeMessage(line). Returns the kind.
 */
function checkInContext(line: string, pre: string, post: string): number {
  const text = pre + line + post;
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
  const start = pre.length;
  const end = start + line.length;
  const kind = scanFastAt(bytes, start, end);
  // Build from the scan's registers before anything else scans (decodeMessage does).
  const viaTick = kind === FAST_TRADE ? fastTick(bytes, text) : null;
  const viaScratch = kind === FAST_TRADE ? tickFields(fillFastTick(bytes, text, scratch)) : null;
  const msg = decodeMessage(line);
  if (kind === FAST_TRADE) {
    expect(msg.kind).toBe('trade');
    if (msg.kind === 'trade') {
      expect(viaTick).toStrictEqual(msg.tick);
      expect(viaScratch).toStrictEqual(msg.tick);
    }
  } else if (kind === FAST_BOOK) {
    expect(msg.kind).toBe('bookTicker');
  } else {
    // Anything the range scan declines, the string fast path declines too.
    expect(decodeTradeFast(line)).toBeNull();
    expect(decodeBookTickerFast(line)).toBeNull();
  }
  return kind;
}

describe('bookTicker fast path ≡ slow path', () => {
  for (const file of Object.values(CAPTURES)) {
    it(`engages on every bookTicker line of ${file} and agrees on every line`, () => {
      const lines = captureLines(file);
      let books = 0;
      let fast = 0;
      const mismatches: string[] = [];
      for (const line of lines) {
        const slow = decodeMessageSlow(line);
        if (slow.kind === 'bookTicker') books++;
        const f = decodeBookTickerFast(line);
        if (f !== null) fast++;
        if (
          (f !== null && !isDeepStrictEqual(f, slow)) ||
          !isDeepStrictEqual(decodeMessage(line), slow)
        )
          mismatches.push(line);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(books).toBeGreaterThan(1000);
      expect(fast).toBe(books);
    });
  }

  it('engages on every canonical futures / spot bookTicker, raw or enveloped, and agrees', () => {
    fc.assert(
      fc.property(canonicalBook, ({ fields, stream }) => {
        const raw = render(fields, stream);
        const fast = decodeBookTickerFast(raw);
        expect(fast).not.toBeNull();
        expect(fast).toStrictEqual(decodeMessageSlow(raw));
        expect(decodeTradeFast(raw)).toBeNull();
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees after structural and character-level mutations', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({
        op: fc.constant('extra' as const),
        i: fc.nat(),
        key: fc.constantFrom('e', 'u', 'b', 'x', 'T', 'E', 'stream', 'data'),
        value: fc.constantFrom('1', '"1"', 'null', '"-1"', '"1e5"', '[1]', 'true', '"bookTicker"'),
      }),
      fc.record({ op: fc.constant('drop' as const), i: fc.nat() }),
      fc.record({ op: fc.constant('retype' as const), i: fc.nat() }),
    );
    const alphabet = fc.constantFrom(
      ...' \t\n\r"\\,:{}[]0123456789.-+eEubBaAsT'.split(''),
      '\u0000',
      '\u00e9',
    );
    let fastHits = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        canonicalBook,
        fc.array(mutation, { maxLength: 2 }),
        fc.array(fc.record({ pos: fc.nat(), ch: fc.option(alphabet, { nil: undefined }) }), {
          maxLength: 3,
        }),
        (c, muts, edits) => {
          const f = c.fields.map(([k, v]): Field => [k, v]);
          for (const m of muts) {
            const i = m.i % f.length;
            if (m.op === 'swap') {
              const j = m.j % f.length;
              [f[i], f[j]] = [f[j], f[i]];
            } else if (m.op === 'extra') {
              f.splice(i, 0, [m.key, m.value]);
            } else if (m.op === 'drop' && f.length > 1) {
              f.splice(i, 1);
            } else if (m.op === 'retype') {
              const v = f[i][1];
              f[i] = [f[i][0], v.startsWith('"') ? v.slice(1, -1) || '0' : `"${v}"`];
            }
          }
          let s = render(f, c.stream);
          for (const e of edits) {
            const p = e.pos % (s.length + 1);
            s =
              e.ch === undefined
                ? s.slice(0, p) + s.slice(p + 1)
                : s.slice(0, p) + e.ch + s.slice(p + 1);
          }
          if (decodeBookTickerFast(s) !== null) fastHits++;
          const m = decodeMessage(s);
          if (m.kind === 'rejected') rejected++;
          expect(isDeepStrictEqual(m, decodeMessageSlow(s))).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
    expect(fastHits).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});

describe('scanFastAt on a range of a larger buffer (analyze) ≡ decodeMessage on the line', () => {
  it('every real line, between newlines and between digits', () => {
    const kinds = [0, 0, 0];
    for (const file of Object.values(CAPTURES)) {
      const lines = captureLines(file);
      for (let k = 0; k < lines.length; k += 7) {
        kinds[checkInContext(lines[k], '\n', '\n')]++;
        // Neighbours that would extend a number or a string if the scan read past the range.
        checkInContext(lines[k], '9', '0"}');
      }
    }
    expect(kinds[FAST_TRADE]).toBeGreaterThan(1000);
    expect(kinds[FAST_BOOK]).toBeGreaterThan(1000);
    expect(kinds[FAST_NONE]).toBe(0);
  });

  it('fuzzed lines with arbitrary surroundings', () => {
    const realSeeds = [CAPTURES.um0718, CAPTURES.spot0808].flatMap((f) =>
      captureLines(f).slice(0, 300),
    );
    const ctx = fc.stringMatching(/^[ -~\n\r]{0,12}$/);
    const seed = fc.oneof(
      fc.constantFrom(...realSeeds),
      canonicalBook.map(({ fields, stream }) => render(fields, stream)),
    );
    fc.assert(
      fc.property(seed, fc.nat(), fc.nat({ max: 3 }), ctx, ctx, (line, pos, cut, pre, post) => {
        // Truncate or drop a character sometimes, so that ranges ending early are covered.
        const p = pos % (line.length + 1);
        const l =
          cut === 0 ? line.slice(0, p) : cut === 1 ? line.slice(0, p) + line.slice(p + 1) : line;
        checkInContext(l, pre, post);
      }),
      { numRuns: 5_000 },
    );
  });

  it('a reused tick reads the same texts as a fresh one, and is overwritten by the next fill', () => {
    const a =
      '{"e":"aggTrade","E":2,"s":"BTCUSDT","a":1,"p":"64000.10","q":"0.500","f":1,"l":1,"T":1,"m":true}';
    const b =
      '{"e":"aggTrade","E":4,"s":"ETHUSDT","a":9,"p":"12345678901234567.5","q":"2","f":3,"l":3,"T":3,"m":false}';
    const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
    const t = new ReusableTick();
    expect(scanFastAt(bytesOf(a), 0, a.length)).toBe(FAST_TRADE);
    fillFastTick(bytesOf(a), a, t);
    expect(tickFields(t)).toStrictEqual((decodeMessageSlow(a) as { tick: Tick }).tick);
    expect(scanFastAt(bytesOf(b), 0, b.length)).toBe(FAST_TRADE);
    fillFastTick(bytesOf(b), b, t);
    expect(tickFields(t)).toStrictEqual((decodeMessageSlow(b) as { tick: Tick }).tick);
    expect(t.price).toBe(Number('12345678901234567.5')); // beyond the exact digits: Number(text)
  });
});
