/** Test helper: the real Binance captures in tests/fixtures/binance-real as lines. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { REAL_DATA_DIR } from '../../support/realData';

export const REAL_DIR = REAL_DATA_DIR;

export const CAPTURES = {
  um0718: 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz',
  um0808: 'um-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz',
  spot0808: 'spot-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz',
} as const;

const cache = new Map<string, string[]>();

/** Non-empty lines of a gzip NDJSON capture (cached per file). */
export function captureLines(file: string): string[] {
  let lines = cache.get(file);
  if (lines === undefined) {
    const text = gunzipSync(readFileSync(`${REAL_DIR}/${file}`)).toString('utf8');
    lines = text.split('\n').filter((l) => l.length > 0);
    cache.set(file, lines);
  }
  return lines;
}
