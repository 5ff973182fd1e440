/** Where the feed server's market data comes from. */

/** The server side a source publishes into. */
export interface FeedSink {
  /** true when at least one connection currently receives this stream. */
  wants(stream: string): boolean;
  /** Sends a payload (JSON text) to the stream's subscribers; returns the number of deliveries. */
  publish(stream: string, payload: string): number;
  /** true when some subscriber's socket buffer is above the backpressure threshold. */
  congested(): boolean;
}

export interface FeedSource {
  readonly kind: 'sim' | 'replay';
  /** Start only when the first connection subscribes to something (instead of at listen). */
  readonly startOnFirstSubscriber: boolean;
  /** One line for banners: what is served and how. */
  describe(): string;
  start(sink: FeedSink): void;
  stop(): void;
}
