/**
 * Child process for the hostile-feed memory test: the real Recorder (feed client → ingest
 * pipeline → SQLite) against a feed URL, for a fixed time. Its own RSS is what the test bounds,
 * so it runs apart from the vitest worker that hosts the hostile server.
 *
 * argv: <feed base url> <db file> <duration ms>. Prints one JSON line (HostileChildReport).
 */
import { PairDeskStore } from '../../../../src/main/store/store';
import { Recorder } from '../../../../src/main/recorder/recorder';

export interface HostileChildReport {
  /** Peak RSS of this process (getrusage maxrss), MB. */
  peakRssMb: number;
  /** Highest RSS seen by the 50 ms sampler, MB. */
  sampledMaxRssMb: number;
  ticksStored: number;
  rejectsTotal: number;
  rejects: Record<string, number>;
  /** Longest message / excerpt among the remembered rejections (characters). */
  longestRejectMessage: number;
  longestRejectExcerpt: number;
  reconnects: number;
  /** Distinct reasons the route gave for backing off. */
  backoffReasons: string[];
  /** Route stats as reported by the feed client (framesTooLarge among them, when present). */
  route: Record<string, unknown>;
  /** Streams the client tracks a last-message time for (junk stream names must not add any). */
  trackedStreams: number;
}

async function main(): Promise<void> {
  const [url, dbFile, durationText] = process.argv.slice(2);
  const store = PairDeskStore.open(dbFile);
  const recorder = new Recorder({
    store,
    symbols: ['BTCUSDT'],
    url,
    feed: {
      watchdogMs: 3_000,
      backoff: { initialMs: 50, maxMs: 300, factor: 2, resetAfterMs: 60_000 },
    },
  });
  const backoffReasons = new Set<string>();
  recorder.feed.on('state', (e) => {
    if (e.state === 'backing_off') backoffReasons.add(e.reason);
  });
  let sampled = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 50);
  recorder.start();
  await new Promise((r) => setTimeout(r, Number(durationText)));
  const trackedStreams = recorder.feed.lastMessageTimes().size;
  const status = await recorder.stop();
  clearInterval(sampler);
  const recent = recorder.pipeline.rejects.recent();
  const route = recorder.feed.stats().routes.market ?? {};
  const report: HostileChildReport = {
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    sampledMaxRssMb: Math.round(sampled / 2 ** 20),
    ticksStored: status.datasetId === null ? 0 : store.tickCount(status.datasetId),
    rejectsTotal: status.rejectsTotal,
    rejects: Object.fromEntries(Object.entries(status.rejects).filter(([, n]) => n > 0)),
    longestRejectMessage: Math.max(0, ...recent.map((r) => r.message.length)),
    longestRejectExcerpt: Math.max(0, ...recent.map((r) => r.excerpt?.length ?? 0)),
    reconnects: Number((route as { reconnects?: number }).reconnects ?? 0),
    backoffReasons: [...backoffReasons],
    route: { ...route },
    trackedStreams,
  };
  store.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
});
