import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../src/core/binance/decimal';

describe('parseDecimal', () => {
  it('parses Binance price and quantity strings', () => {
    expect(parseDecimal('0.00100000')).toBe(0.001);
    expect(parseDecimal('63943.90')).toBe(63943.9);
    expect(parseDecimal('2683.80000000')).toBe(2683.8);
    expect(parseDecimal('0.003')).toBe(0.003);
    expect(parseDecimal('0')).toBe(0);
    expect(parseDecimal('12')).toBe(12);
    expect(parseDecimal('-1')).toBe(-1);
    expect(parseDecimal('-0.5')).toBe(-0.5);
    expect(Object.is(parseDecimal('-0'), -0)).toBe(true);
    // Leading zeros are unambiguous and accepted.
    expect(parseDecimal('007.50')).toBe(7.5);
  });

  it('rejects everything outside -?digits(.digits)? with NaN', () => {
    const bad = [
      '',
      ' ',
      '1e5',
      '1E5',
      '1e-5',
      'abc',
      ' 1',
      '1 ',
      '1\n',
      '+1',
      '1.',
      '.5',
      '.',
      '-',
      '-.5',
      '--1',
      '1..2',
      '1.2.3',
      '0x10',
      '0b1',
      'Infinity',
      '-Infinity',
      'NaN',
      '1,5',
      '1_000',
      '١',
      '１',
      '1.5x',
      'x1.5',
    ];
    for (const s of bad) expect(parseDecimal(s), JSON.stringify(s)).toBeNaN();
  });

  it('equals Number(s) bit for bit for random decimals (≤ 8 decimals, ≤ 17 significant digits)', () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }),
      )
      .map(([neg, sig, dec, ds]) => {
        const digits = ds.slice(0, sig).join('');
        const scale = Math.min(dec, sig);
        const intPart = digits.slice(0, sig - scale) || '0';
        const s = scale > 0 ? `${intPart}.${digits.slice(sig - scale)}` : intPart;
        return neg ? `-${s}` : s;
      });
    fc.assert(
      fc.property(decimal, (s) => {
        expect(Object.is(parseDecimal(s), Number(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('equals Number(s) beyond the exact fast range (long mantissas, scales up to 30)', () => {
    const longDecimal = fc
      .tuple(
        fc.stringMatching(/^[0-9]{1,25}$/),
        fc.option(fc.stringMatching(/^[0-9]{1,30}$/), { nil: undefined }),
      )
      .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
    fc.assert(
      fc.property(longDecimal, (s) => {
        expect(Object.is(parseDecimal(s), Number(s))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('rounds halfway cases correctly where naive digit accumulation would not', () => {
    // 17 significant digits: beyond 2^53, handled by Number(); must still be nearest.
    expect(parseDecimal('9007199254740993')).toBe(9007199254740992);
    expect(parseDecimal('0.30000000000000004')).toBe(0.30000000000000004);
    expect(parseDecimal('123456789012345.6')).toBe(123456789012345.6);
  });
});
