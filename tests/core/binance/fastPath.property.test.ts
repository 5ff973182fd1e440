/**
 * The fast path must give exactly what the slow (JSON.parse) path gives, on every input:
 * canonical Binance layouts (where it must also actually engage) and mutated variants (where it
 * must either agree or defer).
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeMessageSlow,
  decodeTradeFast,
} from '../../../src/core/binance/decode';
import { CAPTURES, captureLines } from './captures';

type Field = [key: string, valueJson: string];

/** Serializes fields in the given order as compact JSON, optionally in a combined envelope. */
function render(fields: Field[], stream: string | undefined): string {
  const body = `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  return stream === undefined ? body : `{"stream":${JSON.stringify(stream)},"data":${body}}`;
}

// Fast-path-eligible values: ≤ 15-digit integers, strict decimals, [A-Z0-9]+ symbols.
const uint15 = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999_999_999 }),
  fc.constantFrom(0, 1, 9, 10, 999_999_999_999_999, 1_721_347_022_708, 5_182_005_737),
);
const decimal = fc.oneof(
  fc.stringMatching(/^[0-9]{1,12}(\.[0-9]{1,10})?$/),
  fc.stringMatching(/^[0-9]{14,20}\.[0-9]{5,12}$/), // beyond the exact digit range
  fc.constantFrom('0', '0.00000000', '63943.90', '0.001', '2683.80000000'),
);
const symbol = fc.stringMatching(/^[A-Z0-9]{1,12}$/);
const streamName = fc.option(fc.stringMatching(/^[a-z0-9@!_ -]{0,24}$/), { nil: undefined });

const aggTrade = fc
  .record({
    E: uint15,
    s: symbol,
    a: uint15,
    p: decimal,
    q: decimal,
    nq: fc.option(decimal, { nil: undefined }),
    f: uint15,
    l: uint15,
    T: uint15,
    m: fc.boolean(),
  })
  .map((r): Field[] => [
    ['e', '"aggTrade"'],
    ['E', String(r.E)],
    ['s', `"${r.s}"`],
    ['a', String(r.a)],
    ['p', `"${r.p}"`],
    ['q', `"${r.q}"`],
    ...(r.nq === undefined ? [] : ([['nq', `"${r.nq}"`]] as Field[])),
    ['f', String(r.f)],
    ['l', String(r.l)],
    ['T', String(r.T)],
    ['m', String(r.m)],
  ]);

const futuresTrade = fc
  .record({
    E: uint15,
    T: uint15,
    s: symbol,
    t: uint15,
    p: decimal,
    q: decimal,
    X: fc.constantFrom('MARKET', 'INSURANCE_FUND', 'ADL'),
    m: fc.boolean(),
  })
  .map((r): Field[] => [
    ['e', '"trade"'],
    ['E', String(r.E)],
    ['T', String(r.T)],
    ['s', `"${r.s}"`],
    ['t', String(r.t)],
    ['p', `"${r.p}"`],
    ['q', `"${r.q}"`],
    ['X', `"${r.X}"`],
    ['m', String(r.m)],
  ]);

const spotTrade = fc
  .record({
    E: uint15,
    s: symbol,
    t: uint15,
    p: decimal,
    q: decimal,
    T: uint15,
    m: fc.boolean(),
    M: fc.boolean(),
  })
  .map((r): Field[] => [
    ['e', '"trade"'],
    ['E', String(r.E)],
    ['s', `"${r.s}"`],
    ['t', String(r.t)],
    ['p', `"${r.p}"`],
    ['q', `"${r.q}"`],
    ['T', String(r.T)],
    ['m', String(r.m)],
    ['M', String(r.M)],
  ]);

const canonical = fc.record({
  fields: fc.oneof(aggTrade, futuresTrade, spotTrade),
  stream: streamName,
});

/** Real trade lines, raw and enveloped, as a pool of seeds for mutation. */
const realTrades: string[] = [CAPTURES.um0718, CAPTURES.spot0808].flatMap((f) =>
  captureLines(f)
    .filter((l) => l.includes('@trade"'))
    .slice(0, 200),
);
const realSeeds = fc
  .constantFrom(...realTrades)
  .chain((l) => fc.constantFrom(l, JSON.stringify((JSON.parse(l) as { data: unknown }).data)));

function agree(raw: string): boolean {
  return isDeepStrictEqual(decodeMessage(raw), decodeMessageSlow(raw));
}

describe('fast path ≡ slow path', () => {
  it('engages on every canonical aggTrade / futures trade / spot trade and agrees', () => {
    fc.assert(
      fc.property(canonical, ({ fields, stream }) => {
        const raw = render(fields, stream);
        const fast = decodeTradeFast(raw);
        expect(fast).not.toBeNull();
        expect(fast).toStrictEqual(decodeMessageSlow(raw));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees on values outside the fast subset (long ints, leading zeros, signs, exponents)', () => {
    const oddInt = fc.oneof(
      fc.integer({ min: 1_000_000_000_000_000, max: Number.MAX_SAFE_INTEGER }).map(String),
      fc.constantFrom(
        '9007199254740993',
        '1e3',
        '-5',
        '01',
        '00',
        '1.0',
        '-0',
        '12345678901234567890',
      ),
    );
    const oddDec = fc.constantFrom(
      '-1',
      '1e5',
      '',
      ' 1',
      '1.',
      '.5',
      '+1',
      '-0',
      '0x1',
      'Infinity',
    );
    fc.assert(
      fc.property(
        canonical,
        fc.nat(),
        fc.oneof(
          oddInt.map((v) => ({ v, str: false })),
          oddDec.map((v) => ({ v, str: true })),
        ),
        ({ fields, stream }, pick, { v, str }) => {
          const copy = fields.map(([k, val]): Field => [k, val]);
          const k = 1 + (pick % (copy.length - 1)); // never replace "e"
          copy[k] = [copy[k][0], str ? `"${v}"` : v];
          expect(agree(render(copy, stream))).toBe(true);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('agrees after structural mutations: reorder, extra keys, dropped keys, retyped values', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({
        op: fc.constant('extra' as const),
        i: fc.nat(),
        key: fc.constantFrom('nq', 'x', 'p', 'e', 'stream', 'data', 'M', 'X', 'zz'),
        value: fc.constantFrom('1', '"1"', 'null', '{"p":"1"}', '[1]', 'true', '"aggTrade"'),
      }),
      fc.record({ op: fc.constant('drop' as const), i: fc.nat() }),
      fc.record({ op: fc.constant('retype' as const), i: fc.nat() }),
    );
    let fastHits = 0;
    fc.assert(
      fc.property(canonical, fc.array(mutation, { minLength: 1, maxLength: 3 }), (c, muts) => {
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
        const raw = render(f, c.stream);
        if (decodeTradeFast(raw) !== null) fastHits++;
        expect(agree(raw)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
    // Some mutations are no-ops (swap i with i; drop of an optional nq) — the fast path still
    // runs on those, so this checks both branches were exercised.
    expect(fastHits).toBeGreaterThan(0);
  });

  it('agrees after character-level mutations of real and generated lines', () => {
    const alphabet = fc.constantFrom(
      ...' \t\n\r"\\,:{}[]0123456789.-+eEtrufalsnTXMm@aApqs'.split(''),
      '\u0000',
      '\u00e9',
      '\ud83d',
    );
    const edit = fc.oneof(
      fc.record({ op: fc.constant('insert' as const), pos: fc.nat(), ch: alphabet }),
      fc.record({ op: fc.constant('replace' as const), pos: fc.nat(), ch: alphabet }),
      fc.record({ op: fc.constant('delete' as const), pos: fc.nat(), ch: fc.constant('') }),
      fc.record({ op: fc.constant('truncate' as const), pos: fc.nat(), ch: fc.constant('') }),
      fc.record({
        op: fc.constant('space' as const),
        pos: fc.nat(),
        ch: fc.constantFrom(' ', '\n', '\t'),
      }),
    );
    const seed = fc.oneof(
      realSeeds,
      canonical.map(({ fields, stream }) => render(fields, stream)),
    );
    let fastHits = 0;
    let rejected = 0;
    fc.assert(
      fc.property(seed, fc.array(edit, { minLength: 1, maxLength: 4 }), (line, edits) => {
        let s = line;
        for (const e of edits) {
          const p = e.pos % (s.length + 1);
          if (e.op === 'insert' || e.op === 'space') s = s.slice(0, p) + e.ch + s.slice(p);
          else if (e.op === 'replace') s = s.slice(0, p) + e.ch + s.slice(p + 1);
          else if (e.op === 'delete') s = s.slice(0, p) + s.slice(p + 1);
          else s = s.slice(0, p);
        }
        if (decodeTradeFast(s) !== null) fastHits++;
        const m = decodeMessage(s);
        if (m.kind === 'rejected') rejected++;
        expect(isDeepStrictEqual(m, decodeMessageSlow(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // Both outcomes occur: digit-for-digit edits stay on the fast path, most others fall back.
    expect(fastHits).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(agree(s)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
