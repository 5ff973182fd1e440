/**
 * The hot path of issue "foundation": decode + validate + aggregate (1s/1m/5m bars) per line,
 * against bare `split('\n')` + `JSON.parse` over the same in-memory lines. Both passes split
 * the same big string; passes alternate so they share GC and thermal conditions; each figure is
 * the best of the rounds.
 */
import { performance } from 'node:perf_hooks';
import { decodeMessage } from '../src/core/binance/decode';
import { BarAggregator } from '../src/core/bars/barAggregator';
import { TIMEFRAMES, TIMEFRAME_MS, type Bar } from '../src/core/market/types';
import { isBarEligible, TickValidator } from '../src/core/validation/tickValidator';
import { loadBenchLines } from './decode';
import type { BenchRow } from './types';

function bare(big: string): number {
  const parts = big.split('\n');
  let n = 0;
  for (let k = 0; k < parts.length; k++) if (JSON.parse(parts[k]) !== null) n++;
  return n;
}

function ingest(big: string): number {
  const parts = big.split('\n');
  const validator = new TickValidator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  let closed = 0;
  const sink = {
    onBarClosed: (_b: Bar) => void closed++,
    onBarRevised: (_b: Bar) => void closed++,
  };
  const aggregator = new BarAggregator(
    TIMEFRAMES.map((tf) => TIMEFRAME_MS[tf]),
    sink,
  );
  let n = 0;
  for (let k = 0; k < parts.length; k++) {
    const msg = decodeMessage(parts[k]);
    if (msg.kind !== 'trade' || validator.validate(msg.tick) !== null) continue;
    if (isBarEligible(msg.tick) && aggregator.add(msg.tick) !== null) continue;
    n++;
  }
  aggregator.advance(Number.POSITIVE_INFINITY);
  if (closed === 0) throw new Error('no bars closed');
  return n;
}

function time(fn: (big: string) => number, big: string, expected: number): number {
  const t0 = performance.now();
  const n = fn(big);
  const ms = performance.now() - t0;
  if (n !== expected) throw new Error(`bench pass handled ${n} of ${expected} lines`);
  return ms;
}

export async function ingestBenchRows(rounds = 12): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const envelope of [false, true]) {
    const lines = loadBenchLines(envelope);
    const big = lines.join('\n');
    const n = lines.length;
    const avgBytes = (big.length - (n - 1)) / n;
    for (let w = 0; w < 4; w++) {
      time(bare, big, n);
      time(ingest, big, n);
    }
    let bestBare = Infinity;
    let bestIngest = Infinity;
    for (let r = 0; r < rounds; r++) {
      bestBare = Math.min(bestBare, time(bare, big, n));
      bestIngest = Math.min(bestIngest, time(ingest, big, n));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const ingestPerSec = (n / bestIngest) * 1000;
    const barePerSec = (n / bestBare) * 1000;
    const ratio = ingestPerSec / barePerSec;
    rows.push({
      name: `ingest: decode+validate+aggregate, ${envelope ? 'combined envelope' : 'raw aggTrade'} (${n} lines, ${avgBytes.toFixed(0)} B)`,
      value: ingestPerSec,
      unit: 'ticks/s',
      reference: 'bare split + JSON.parse, same lines',
      referenceValue: barePerSec,
      ratio,
      target: '>= 0.8x reference (stretch > 1x)',
      pass: ratio >= 0.8,
    });
  }
  return rows;
}
