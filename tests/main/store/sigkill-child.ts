/**
 * Child process for sigkill.test.ts: ingests ticks into the store forever, resuming after the
 * highest stored trade id, and prints `committed <n>` after every committed flush, where n is
 * the highest trade id known to be durable. stdout to a pipe is synchronous on Linux, so the
 * line is in the pipe before the next batch starts. The parent SIGKILLs it mid-ingestion.
 *
 * Usage: node --import tsx sigkill-child.ts <dbFile> <batchSize> <flushIntervalMs>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PairDeskStore } from '../../../src/main/store/store';
import { makeTick } from './helpers';

const [file, batchArg, intervalArg] = process.argv.slice(2);
const batchSize = Number(batchArg);
let startId = 1;
const store = PairDeskStore.open(file, {
  batchSize,
  flushIntervalMs: Number(intervalArg),
  onFlush: (info) => process.stdout.write(`committed ${startId - 1 + info.ticksWrittenTotal}\n`),
  onError: (err) => process.stdout.write(`error ${String(err)}\n`),
});
const ds = store.getOrCreateLiveDataset();
startId = (store.tradeIdRange(ds.id, 'BTCUSDT')?.max ?? 0) + 1;
process.stdout.write(`ready ${startId}\n`);

let next = startId;
let seed = startId;
const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
for (;;) {
  // Bursts of varying size, with pauses that sometimes outlast the flush interval, so both
  // size- and timer-triggered flushes happen.
  const burst = 1 + rnd(600);
  for (let i = 0; i < burst; i++) store.enqueueTick(ds.id, makeTick(next++));
  await sleep(rnd(4) === 0 ? rnd(40) : 0);
}
