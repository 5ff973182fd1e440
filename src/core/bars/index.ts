export { ExactSum, exactSum, twoProduct } from './exactSum';
export { FeedClock } from './feedClock';
export {
  BarAggregator,
  DEFAULT_GRACE_MS,
  DEFAULT_HORIZON_MS,
  DEFAULT_TIMEFRAMES_MS,
  type BarAggregatorOptions,
  type BarSink,
} from './barAggregator';
