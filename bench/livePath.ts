/**
 * Live path under load: the local feed (a separate process, like Binance is) simulates 20 k
 * aggTrades/s; the production Recorder (feed client → pipeline → SQLite) ingests them for 30 s.
 * Lost ticks are counted from the simulator's contiguous trade ids per symbol; latency is
 * measured from the frame's arrival in the socket handler to the tick's bar being updated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyHistogram } from '../src/core/metrics/latencyHistogram';
import { Recorder } from '../src/main/recorder/recorder';
import { PairDeskStore } from '../src/main/store/store';
import { startSimulateProcess } from './feedProcess';
import type { BenchRow } from './types';

export async function livePathBenchRows(rate = 20_000, seconds = 30): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-live-bench-'));
  const feed = await startSimulateProcess(rate);
  try {
    const store = PairDeskStore.open(join(dir, 'live.db'));
    const feedToBar = new LatencyHistogram(0.1, 10_000);
    const recorder = new Recorder({
      store,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      url: feed.url,
      datasetKind: 'demo',
      listener: {
        // E is the feed's send time (wall clock, same machine): feed → bar updated.
        onTick: (tick) => feedToBar.record(Date.now() - tick.eventTimeMs),
      },
    });
    recorder.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const status = await recorder.stop();
    let stored = 0;
    let expected = 0;
    for (const s of store.symbolStats(recorder.dataset.id)) {
      stored += s.count;
      expected += s.maxTradeId - s.minTradeId + 1;
    }
    store.close();
    const lost = expected - stored;
    return [
      {
        name: `live path: ${rate} aggTrades/s for ${seconds} s (feed in a child process) — ticks lost`,
        value: lost,
        unit: `ticks (of ${expected}; ${(stored / seconds).toFixed(0)} stored/s, gaps ${status.gaps})`,
        target: '0',
        pass: lost === 0,
      },
      {
        name: 'live path: p99 latency, socket message → bar updated',
        value: status.latencyP99Ms,
        unit: `ms (p50 ${status.latencyP50Ms.toFixed(3)}, max ${status.latencyMaxMs.toFixed(1)})`,
        target: '<= 5 ms',
        pass: status.latencyP99Ms <= 5,
      },
      {
        name: 'live path: p99 latency, feed send (E) → bar updated, incl. socket and event loop',
        value: feedToBar.percentile(0.99),
        unit: `ms (p50 ${feedToBar.percentile(0.5).toFixed(1)}; 1 ms clock resolution)`,
      },
    ];
  } finally {
    feed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
