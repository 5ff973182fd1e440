/**
 * Stream names, routes and connect-URL parsing for the local Binance USD-M feed server.
 *
 * Routes (since the 2026 route split): `/public` serves bookTicker and depth, `/market` serves
 * aggTrade, kline, markPrice, ticker, miniTicker, forceOrder…, `/private` serves user data (none
 * here). `@trade` is served on both `/public` and `/market` (its real route is unconfirmed). A
 * connection without a route (`/ws/…`, `/stream?…`) gets public data only.
 *
 * Stream names are matched exactly, case included: data is published under the canonical names
 * (`btcusdt@aggTrade`, lower-case symbol), so `BTCUSDT@aggTrade` or `btcusdt@aggtrade` is
 * acknowledged and then silent.
 */

export type Route = 'public' | 'market' | 'private';

/** Route of a connection; `legacy` = unrouted URL, served like `public`. */
export type ConnectionRoute = Route | 'legacy';

const ROUTES: readonly Route[] = ['public', 'market', 'private'];

/** Syntactically valid stream name: `<symbol|!all>@<type>[@<option>…]`. */
const STREAM_NAME_RE = /^[A-Za-z0-9_!.-]{1,64}@[A-Za-z0-9_@.-]{1,64}$/;

export function isValidStreamName(name: string): boolean {
  return STREAM_NAME_RE.test(name);
}

const PUBLIC_ONLY = new Set(['bookTicker', 'depth']);
const MARKET_ONLY = new Set([
  'aggTrade',
  'kline',
  'continuousKline',
  'markPrice',
  'ticker',
  'miniTicker',
  'forceOrder',
  'compositeIndex',
  'contractInfo',
  'assetIndex',
]);
const BOTH = new Set(['trade']);

/**
 * Event family of a stream name: `btcusdt@depth10@100ms` → `depth`, `btcusdt@kline_1m` →
 * `kline`, `!markPrice@arr@1s` → `markPrice`.
 */
export function streamFamily(name: string): string {
  const at = name.indexOf('@');
  const type = (at >= 0 ? name.slice(at + 1) : name).split('@')[0];
  if (type.startsWith('kline_')) return 'kline';
  if (type.startsWith('continuousKline_')) return 'continuousKline';
  if (/^depth\d*$/.test(type)) return 'depth';
  return type;
}

/** Whether a stream's data flows on a connection with this route. */
export function isServedOn(route: ConnectionRoute, name: string): boolean {
  const family = streamFamily(name);
  const effective: Route = route === 'legacy' ? 'public' : route;
  if (effective === 'private') return false;
  if (BOTH.has(family)) return true;
  if (effective === 'public') return PUBLIC_ONLY.has(family);
  return MARKET_ONLY.has(family);
}

/** Routes on which a stream is served (for banners and docs). */
export function routesOf(name: string): Route[] {
  return ROUTES.filter((r) => isServedOn(r, name));
}

export type ParsedConnectUrl =
  | { ok: true; route: ConnectionRoute; combined: boolean; streams: string[] }
  | { ok: false; status: 400 | 404; reason: string };

/**
 * Parses the request target of a WebSocket upgrade:
 * `/<route>/ws[/<stream>…]`, `/<route>/stream[?streams=a/b/c]`, and the unrouted legacy forms
 * `/ws[/<stream>…]`, `/stream[?streams=…]`.
 */
export function parseConnectUrl(target: string, maxStreams: number): ParsedConnectUrl {
  let url: URL;
  try {
    url = new URL(target, 'http://127.0.0.1');
  } catch {
    return { ok: false, status: 400, reason: 'invalid request target' };
  }
  const parts = url.pathname.split('/').slice(1);
  let route: ConnectionRoute = 'legacy';
  if ((ROUTES as readonly string[]).includes(parts[0] ?? '')) route = parts.shift() as Route;
  const kind = parts.shift();
  let streams: string[];
  let combined: boolean;
  if (kind === 'ws') {
    combined = false;
    try {
      streams = parts.filter((p) => p !== '').map((p) => decodeURIComponent(p));
    } catch {
      return { ok: false, status: 400, reason: 'invalid percent-encoding in path' };
    }
  } else if (kind === 'stream' && parts.every((p) => p === '')) {
    combined = true;
    const raw = url.searchParams.get('streams') ?? '';
    streams = raw.split('/').filter((p) => p !== '');
  } else {
    return { ok: false, status: 404, reason: `no such endpoint ${url.pathname}` };
  }
  const unique = [...new Set(streams)];
  for (const s of unique) {
    if (!isValidStreamName(s)) {
      return { ok: false, status: 400, reason: `invalid stream name ${JSON.stringify(s)}` };
    }
  }
  if (unique.length > maxStreams) {
    return {
      ok: false,
      status: 400,
      reason: `too many streams (${unique.length} > ${maxStreams})`,
    };
  }
  return { ok: true, route, combined, streams: unique };
}
