/**
 * Store write throughput: the batched PairDeskStore versus a bare better-sqlite3 loop that
 * inserts the same rows with one prepared statement in ONE transaction (the practical ceiling
 * for row-at-a-time inserts). Both write fresh files with the same schema and pragmas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Tick } from '../src/core/market/types';
import { openDatabase } from '../src/main/store/db';
import { streamCode, tradeTypeCode } from '../src/main/store/rows';
import { PairDeskStore } from '../src/main/store/store';
import type { BenchRow } from './types';

export interface StoreBenchOptions {
  /** Directory for the scratch databases (default: a new dir under the OS temp dir, removed). */
  dir?: string;
  /** Store batch size (default: the store's own default, 4096). */
  batchSize?: number;
  /** Ticks enqueued between yields to the event loop, so timer flushes can run. Default 16384. */
  yieldEvery?: number;
}

export interface StoreBenchResult {
  ticks: number;
  /** Store: enqueue every tick + final flush (size- and timer-triggered flushes included). */
  storeTicksPerSec: number;
  storeMs: number;
  storeFlushes: number;
  /** Bare prepared INSERT loop in one transaction. */
  bareTicksPerSec: number;
  bareMs: number;
  /** storeTicksPerSec / bareTicksPerSec. */
  ratio: number;
  /**
   * The same rates per CPU-second of this process (excludes time spent waiting for a busy CPU
   * or disk), a steadier figure on a shared machine.
   */
  storeTicksPerCpuSec: number;
  bareTicksPerCpuSec: number;
  rows: BenchRow[];
}

type TickParams = [number, string, number, number, number, string, string, number, number, number];

/** CPU time (user + system) of this process since `start`, in ms. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

async function runStore(file: string, ticks: readonly Tick[], opts: StoreBenchOptions) {
  const store = PairDeskStore.open(file, { batchSize: opts.batchSize });
  const id = store.createDataset('replay', 'bench').id;
  const every = opts.yieldEvery ?? 16384;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ticks.length; i++) {
    store.enqueueTick(id, ticks[i]);
    if (i % every === every - 1) await yieldToLoop();
  }
  store.flush();
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const { flushes, ticksWritten } = store.stats();
  store.close();
  return { ms, cpuMs, flushes, ticksWritten };
}

function runBare(file: string, ticks: readonly Tick[]) {
  const db = openDatabase(file);
  const id = Number(
    db.prepare("INSERT INTO datasets (kind, label, created_ms) VALUES ('replay', 'bare', 0)").run()
      .lastInsertRowid,
  );
  const stmt = db.prepare<TickParams>(
    `INSERT OR IGNORE INTO ticks (dataset_id, symbol, trade_id, time_ms, event_time_ms, price,
       qty, is_buyer_maker, stream, trade_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  db.transaction(() => {
    for (const t of ticks) {
      stmt.run(
        id,
        t.symbol,
        t.tradeId,
        t.timeMs,
        t.eventTimeMs,
        t.priceText,
        t.qtyText,
        t.isBuyerMaker ? 1 : 0,
        streamCode(t.stream),
        tradeTypeCode(t.tradeType),
      );
    }
  })();
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ms, cpuMs };
}

export async function benchStore(
  ticks: readonly Tick[],
  opts: StoreBenchOptions = {},
): Promise<StoreBenchResult> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pairdesk-store-bench-'));
  try {
    // Warm-up on a slice so both paths run JIT-compiled code when measured.
    const warm = ticks.slice(0, Math.min(ticks.length, 50_000));
    await runStore(join(dir, 'warm-store.db'), warm, opts);
    runBare(join(dir, 'warm-bare.db'), warm);

    const bare = runBare(join(dir, 'bare.db'), ticks);
    const store = await runStore(join(dir, 'store.db'), ticks, opts);
    const storeTicksPerSec = (ticks.length / store.ms) * 1000;
    const bareTicksPerSec = (ticks.length / bare.ms) * 1000;
    const ratio = storeTicksPerSec / bareTicksPerSec;
    return {
      ticks: ticks.length,
      storeTicksPerSec,
      storeMs: store.ms,
      storeFlushes: store.flushes,
      bareTicksPerSec,
      bareMs: bare.ms,
      ratio,
      storeTicksPerCpuSec: (ticks.length / store.cpuMs) * 1000,
      bareTicksPerCpuSec: (ticks.length / bare.cpuMs) * 1000,
      rows: [
        {
          name: 'store: batched tick persistence',
          value: storeTicksPerSec,
          unit: 'ticks/s',
          target: '>= 300k ticks/s',
          pass: storeTicksPerSec >= 300_000,
        },
        {
          name: 'store vs bare insert loop',
          value: storeTicksPerSec,
          unit: 'ticks/s',
          reference: 'bare prepared INSERT loop, one transaction',
          referenceValue: bareTicksPerSec,
          ratio,
          target: '>= 0.7x reference',
          pass: ratio >= 0.7,
        },
      ],
    };
  } finally {
    if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
