/**
 * Local Binance USD-M futures market-data WebSocket server (tests, demos, `pairdesk simulate`).
 *
 *   const server = await startFeedServer({ source: { kind: 'sim', symbols: ['BTCUSDT', 'ETHUSDT'], rate: 50, seed: 1 } });
 *   new WebSocket(`${server.url}/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`);
 *
 * Sources: the seeded cointegrated simulator (src/core/sim, paced in real time by a 5 ms timer;
 * ~20 000 aggTrades/s to one client with ~10 ms average delay, ~40 000/s saturating) or the
 * replay of an NDJSON capture (payload bytes unmodified, paced by E × speed).
 */
export {
  FEED_HOST,
  startFeedServer,
  type ConnectionInfo,
  type DisconnectReason,
  type FeedServer,
  type FeedServerOptions,
  type FeedServerStats,
  type FeedSourceOptions,
} from './server';
export { runSimulateCommand, type SimulateCommandIo, type SimulateCommandOptions } from './cli';
export type {
  ReplayProgress,
  ReplayReport,
  ReplaySource,
  ReplaySourceOptions,
} from './sources/replaySource';
export {
  planReplay,
  type ReplayFileSpec,
  type ReplayInput,
  type ReplayPlan,
} from './sources/replayPlan';
export type { SimSourceOptions } from './sources/simSource';
export { MALFORMED_KINDS } from './malformed';
export { isServedOn, parseConnectUrl, routesOf, type ConnectionRoute, type Route } from './streams';
export { parseCaptureLine, extractTopLevelValue, type CaptureMessage } from './sources/capture';
