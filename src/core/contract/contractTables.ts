/**
 * Fast row builders for the contract's bulk tables, for decodeBridgeFrame: a bar history is a
 * table of 100 k Bar objects, and building each as one object literal of a fixed shape is several
 * times faster than assigning its twelve keys one by one.
 */
import type { Bar } from '../market/types';
import type { RowFactory, RowFactoryLookup } from './bridgeCodec';

const BAR_KEYS = [
  'symbol',
  'timeframeMs',
  'startMs',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'quoteVolume',
  'trades',
  'takerBuyVolume',
  'vwap',
] as const satisfies readonly (keyof Bar)[];

// Fails to compile when Bar gains a field that BAR_KEYS does not list.
const everyBarKey: Exclude<keyof Bar, (typeof BAR_KEYS)[number]> extends never ? true : never =
  true;
void everyBarKey;

function barRowFactory(keys: readonly string[]): RowFactory | undefined {
  if (keys.length !== BAR_KEYS.length) return undefined;
  const at = BAR_KEYS.map((k) => keys.indexOf(k));
  if (at.some((i) => i < 0)) return undefined;
  const [symbol, timeframeMs, startMs, open, high, low, close, volume, quote, trades, taker, vwap] =
    at;
  // Values are what JSON would have carried (a number, or null for a non-finite one).
  return (c, i): Bar => ({
    symbol: c[symbol][i] as string,
    timeframeMs: c[timeframeMs][i] as number,
    startMs: c[startMs][i] as number,
    open: c[open][i] as number,
    high: c[high][i] as number,
    low: c[low][i] as number,
    close: c[close][i] as number,
    volume: c[volume][i] as number,
    quoteVolume: c[quote][i] as number,
    trades: c[trades][i] as number,
    takerBuyVolume: c[taker][i] as number,
    vwap: c[vwap][i] as number,
  });
}

/** The RowFactoryLookup for every table shape the contract sends in bulk. */
export const contractRowFactory: RowFactoryLookup = (keys) => barRowFactory(keys);
