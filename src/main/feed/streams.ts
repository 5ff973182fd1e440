import type { FeedRoute, StreamKind } from './types';

const SYMBOL_RE = /^[a-z0-9_]{1,40}$/;

/** Normalises a symbol to upper case and rejects anything that could break the URL/path. */
export function normalizeSymbol(symbol: string): string {
  const lower = symbol.trim().toLowerCase();
  if (!SYMBOL_RE.test(lower)) {
    throw new TypeError(`invalid symbol ${JSON.stringify(symbol)} (expected e.g. BTCUSDT)`);
  }
  return lower.toUpperCase();
}

/** Binance stream name: lower-case symbol, kind as documented (`btcusdt@aggTrade`). */
export function streamName(symbol: string, kind: StreamKind): string {
  return `${symbol.toLowerCase()}@${kind}`;
}

/** `${baseUrl}/${route}/stream?streams=a/b/c` (base URL without trailing slash). */
export function combinedStreamUrl(
  baseUrl: string,
  route: FeedRoute,
  streams: readonly string[],
): string {
  return `${baseUrl.replace(/\/+$/, '')}/${route}/stream?streams=${streams.join('/')}`;
}

/** Thrown when a route would need more streams than one connection may carry. */
export class FeedCapacityError extends RangeError {
  constructor(
    readonly route: FeedRoute,
    readonly requested: number,
    readonly limit: number,
  ) {
    super(
      `route /${route} would need ${requested} streams but one connection carries at most ${limit}; ` +
        `reduce the symbol set (multi-connection sharding is not supported)`,
    );
    this.name = 'FeedCapacityError';
  }
}
