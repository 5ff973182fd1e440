/**
 * Where the real Binance captures live: `tests/fixtures/binance-real`, committed with the
 * repository so that a clone anywhere passes its tests (provenance in the README there).
 * `PAIRDESK_REAL_DATA` overrides it.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const REAL_DATA_DIR =
  process.env.PAIRDESK_REAL_DATA ?? resolve(REPO_ROOT, 'tests/fixtures/binance-real');

export function realCapture(name: string): string {
  return join(REAL_DATA_DIR, name);
}

export const UM_2024_07_18 = realCapture('um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz');
export const UM_2024_08_08 = realCapture('um-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz');
export const SPOT_2024_08_08 = realCapture('spot-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz');
