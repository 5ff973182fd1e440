export {
  BinanceFeedClient,
  BINANCE_INCOMING_LIMIT_PER_SEC,
  DEFAULT_BASE_URL,
  DEFAULT_CONTROL_RATE_PER_SEC,
  DEFAULT_LIFETIME_JITTER_MS,
  DEFAULT_MAX_LIFETIME_MS,
  DEFAULT_MAX_STREAMS_PER_CONNECTION,
  DEFAULT_ROUTES,
  DEFAULT_WATCHDOG_MS,
} from './BinanceFeedClient';
export { DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs, type BackoffOptions } from './backoff';
export { classifyFrame, extractStreamName, parseControlReply, type ControlReply } from './frames';
export { FeedCapacityError, combinedStreamUrl, normalizeSymbol, streamName } from './streams';
export { TypedEmitter, type Listener } from './TypedEmitter';
export * from './types';
