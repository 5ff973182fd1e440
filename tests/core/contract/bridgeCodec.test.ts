// The browser bridge's binary frames: what decodes is exactly what JSON would have carried.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BULK_MIN,
  BridgeFrameError,
  decodeBridgeFrame,
  encodeBridgeFrame,
  isBinaryBridgeFrame,
} from '../../../src/core/contract/bridgeCodec';
import { contractRowFactory } from '../../../src/core/contract/contractTables';
import type { Bar } from '../../../src/core/market/types';

/** What a JSON text frame delivers. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function roundTrip(v: unknown, withFactory = false): unknown {
  const encoded = encodeBridgeFrame(v);
  if (typeof encoded === 'string') return JSON.parse(encoded);
  return decodeBridgeFrame(encoded, withFactory ? { rowFactory: contractRowFactory } : {});
}

function bars(n: number, symbol = 'BTCUSDT'): Bar[] {
  return Array.from({ length: n }, (_, i) => ({
    symbol,
    timeframeMs: 1000,
    startMs: 1_721_347_200_000 + i * 1000,
    open: 64_000 + Math.sin(i) * 10,
    high: 64_010 + Math.sin(i) * 10,
    low: 63_990,
    close: 64_000.1 + i / 3,
    volume: i % 5 === 0 ? 0 : 1 / (i + 1),
    quoteVolume: i === 7 ? Number.NaN : 123.456 * i,
    trades: i % 9,
    takerBuyVolume: i === 9 ? -0 : 0.5,
    vwap: i === 11 ? Number.POSITIVE_INFINITY : 64_000,
  }));
}

const finiteOrNot = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0),
  fc.constant(null),
);
const primitive = fc.oneof(fc.string(), fc.boolean(), finiteOrNot, fc.integer());
const numberArray = fc.array(finiteOrNot, { minLength: 0, maxLength: BULK_MIN * 3 });
/** Rows with a shared key set, in shuffled key orders (still a table). */
const table = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 })
  .chain((keys) =>
    fc.array(
      fc
        .tuple(
          fc.array(primitive, { minLength: keys.length, maxLength: keys.length }),
          fc.boolean(),
        )
        .map(([values, reversed]) => {
          const entries = keys.map((k, i) => [k, values[i]] as const);
          return Object.fromEntries(reversed ? entries.reverse() : entries);
        }),
      { minLength: 0, maxLength: BULK_MIN * 2 },
    ),
  );
const frame = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    primitive,
    numberArray,
    table,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('bridge codec', () => {
  it('keeps small frames as the JSON text they were', () => {
    const small = { type: 'event', envelope: { event: 'bars', payload: { closed: bars(3) } } };
    expect(encodeBridgeFrame(small)).toBe(JSON.stringify(small));
  });

  it('decodes any frame to exactly what JSON would deliver (property)', () => {
    fc.assert(
      fc.property(frame, (v) => {
        expect(roundTrip(v)).toStrictEqual(viaJson(v));
      }),
      { numRuns: 300 },
    );
  });

  it('sends a bar history as columns: same bars, a fraction of the bytes, with or without the row factory', () => {
    const reply = { type: 'reply', id: 4, ok: true, response: bars(10_000) };
    const encoded = encodeBridgeFrame(reply);
    expect(encoded).toBeInstanceOf(Uint8Array);
    const binary = encoded as Uint8Array;
    expect(isBinaryBridgeFrame(binary)).toBe(true);
    expect(binary.length).toBeLessThan(0.35 * JSON.stringify(reply).length);
    const expected = viaJson(reply);
    expect(decodeBridgeFrame(binary, { rowFactory: contractRowFactory })).toStrictEqual(expected);
    expect(decodeBridgeFrame(binary)).toStrictEqual(expected);
  });

  it('takes a table whose rows list the same keys in another order (an appended in-progress bar)', () => {
    const history: object[] = bars(BULK_MIN + 1);
    const last = history.pop() as Bar;
    history.push(Object.fromEntries(Object.entries(last).reverse()));
    const encoded = encodeBridgeFrame({ response: history });
    expect(encoded).toBeInstanceOf(Uint8Array);
    expect(
      decodeBridgeFrame(encoded as Uint8Array, { rowFactory: contractRowFactory }),
    ).toStrictEqual(viaJson({ response: history }));
  });

  it('decodes a frame that does not start on an 8-byte boundary', () => {
    const v = { columns: { startMs: Array.from({ length: 300 }, (_, i) => i * 1.5) } };
    const encoded = encodeBridgeFrame(v) as Uint8Array;
    const shifted = new Uint8Array(encoded.length + 3);
    shifted.set(encoded, 3);
    expect(decodeBridgeFrame(shifted.subarray(3))).toStrictEqual(viaJson(v));
    // A Node Buffer's slice() is a view, not a copy: the same frame inside a Buffer pool.
    const pooled = Buffer.concat([Buffer.alloc(3), Buffer.from(encoded)]).subarray(3);
    expect(decodeBridgeFrame(pooled)).toStrictEqual(viaJson(v));
  });

  it('does not mistake a data key for its placeholder', () => {
    const v = {
      rows: Array.from({ length: BULK_MIN }, () => 1),
      odd: { '\u0000pd': ['f64', 0, 1] },
    };
    expect(roundTrip(v)).toStrictEqual(viaJson(v));
  });

  it('rejects malformed frames with a BridgeFrameError saying why', () => {
    const good = encodeBridgeFrame({ xs: Array.from({ length: 100 }, (_, i) => i) }) as Uint8Array;
    expect(() => decodeBridgeFrame(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(
      /not a PairDesk binary frame/,
    );
    expect(() => decodeBridgeFrame(good.subarray(0, 12))).toThrow(/truncated frame/);
    const shortBlocks = good.slice(0, good.length - 8);
    expect(() => decodeBridgeFrame(shortBlocks)).toThrow(/out of range/);
    const badHeader = good.slice();
    badHeader[8] = 0x7b; // '{'
    badHeader[9] = 0x7b;
    expect(() => decodeBridgeFrame(badHeader)).toThrow(BridgeFrameError);
  });

  it('never fails with anything but a BridgeFrameError on corrupted bytes (fuzz)', () => {
    const good = encodeBridgeFrame({
      response: bars(BULK_MIN * 2),
      xs: Array.from({ length: 100 }, (_, i) => i),
    }) as Uint8Array;
    const headerEnd = 8 + new DataView(good.buffer).getUint32(4, true) - 1;
    fc.assert(
      fc.property(
        // Half the edits land in the JSON header, where they change specs, offsets and lengths.
        fc.array(
          fc.tuple(
            fc.oneof(fc.nat(good.length - 1), fc.integer({ min: 8, max: headerEnd })),
            fc.nat(255),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.nat(good.length),
        (edits, cut) => {
          const bytes = good.slice(0, Math.max(8, cut));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          try {
            decodeBridgeFrame(bytes, { rowFactory: contractRowFactory });
          } catch (error) {
            expect(error).toBeInstanceOf(BridgeFrameError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
