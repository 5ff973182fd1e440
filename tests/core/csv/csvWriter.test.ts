import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../../src/core/csv/csvWriter';

describe('csvWriter', () => {
  it('writes numbers that parse back to the identical double', () => {
    const values = [
      0.1 + 0.2,
      63943.9,
      1e-7,
      123456789.12345678,
      -0,
      5e-324,
      1.7976931348623157e308,
    ];
    for (const v of values) expect(Number(csvCell(v))).toBe(v);
    for (let i = 0; i < 10_000; i++) {
      const v = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 20 - 10);
      expect(Number(csvCell(v))).toBe(v);
    }
  });

  it('leaves undefined values empty instead of writing NaN', () => {
    expect(csvRow([1, Number.NaN, null, undefined, Infinity, 'x'])).toBe('1,,,,,x\n');
  });

  it('quotes cells with separators, quotes or line breaks', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe(
      '"a,b","say ""hi""","two\nlines",plain\n',
    );
    expect(csvRow([true, false])).toBe('true,false\n');
  });
});
