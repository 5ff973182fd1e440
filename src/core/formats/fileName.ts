/**
 * Symbol, kind, interval and date from a data.binance.vision file name (#10), e.g.
 * `BTCUSDT-aggTrades-2024-07-18.zip`, `BTCUSDT-trades-2024-07-18.csv`, `BTCUSDT-1m-2024-07-18.zip`,
 * `ETHUSDT-bookTicker-2024-07-18.csv`, monthly `BTCUSDT-1m-2024-07.zip`. Any directory part is
 * ignored; the name is only a hint (formats are detected from content), used for the symbol and
 * the kline interval.
 */

export type BinanceFileKind = 'aggTrades' | 'trades' | 'klines' | 'bookTicker';

export interface BinanceFileName {
  symbol: string;
  kind: BinanceFileKind;
  /** Kline interval as written (`1s`, `1m`, `4h`, `1d`, `1w`, `1M`…); klines only. */
  interval?: string;
  /** Its length in ms; absent for `1M` (months differ). */
  intervalMs?: number;
  /** `YYYY-MM-DD` (daily files) or `YYYY-MM` (monthly files). */
  date: string;
}

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PATTERN =
  /^([A-Za-z0-9]{2,30})-(aggTrades|trades|bookTicker|\d{1,2}[smhdwM])-(\d{4}-\d{2}(?:-\d{2})?)(?:\.(?:csv|zip|csv\.gz|gz))?$/;

/** The parts of a Binance archive file name, or null when the name does not look like one. */
export function symbolFromFileName(name: string): BinanceFileName | null {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const m = PATTERN.exec(base);
  if (m === null) return null;
  const symbol = m[1].toUpperCase();
  const kindOrInterval = m[2];
  const date = m[3];
  const [y, mo, d] = date.split('-').map(Number);
  if (mo < 1 || mo > 12 || (d !== undefined && (d < 1 || d > 31)) || y < 2017) return null;
  if (kindOrInterval === 'aggTrades' || kindOrInterval === 'trades') {
    return { symbol, kind: kindOrInterval, date };
  }
  if (kindOrInterval === 'bookTicker') return { symbol, kind: 'bookTicker', date };
  const unit = kindOrInterval.slice(-1);
  const count = Number(kindOrInterval.slice(0, -1));
  if (count < 1) return null;
  if (unit === 'M') return { symbol, kind: 'klines', interval: kindOrInterval, date };
  return {
    symbol,
    kind: 'klines',
    interval: kindOrInterval,
    intervalMs: count * UNIT_MS[unit],
    date,
  };
}
