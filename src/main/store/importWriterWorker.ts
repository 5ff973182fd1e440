/**
 * The import writer thread (entry point; see importWriter.ts for who starts it and why). It owns
 * a second read-write connection to the store's file and writes the batches it is sent through
 * an ordinary BatchWriter, so rows, bar revisions and dataset counters are exactly what the
 * in-thread path writes. Batches are processed in order, each committed as it arrives (one
 * transaction per batch, so its Tick objects die young); after each one the shared in-flight
 * counter is decremented (the sender waits on it when too many are queued). After a failed write
 * the remaining batches are dropped (still counted down) and `finish` reports the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db';
import { DatasetRepo } from './datasets';
import { decodeTicks } from './tickBatch';
import type {
  ImportWriterWorkerData,
  ToImportWriter,
  FromImportWriter,
} from './importWriterProtocol';
import { BatchWriter } from './writer';

const data = workerData as ImportWriterWorkerData;
const inFlight = new Int32Array(data.inFlight);
const port = parentPort;
if (port === null) throw new Error('importWriterWorker must run in a worker thread');

let error: string | null = null;
let writer: BatchWriter | undefined;
let db: ReturnType<typeof openDatabase> | undefined;
try {
  db = openDatabase(data.file, { nativeBinding: data.nativeBinding, cacheKiB: data.cacheKiB });
  writer = new BatchWriter(db, new DatasetRepo(db), {
    // One commit per batch received (below); never a size- or timer-triggered one in between.
    batchSize: Number.MAX_SAFE_INTEGER,
    maxPending: Number.MAX_SAFE_INTEGER,
    flushIntervalMs: 2_147_483_647,
    onError: (err) => {
      error ??= err instanceof Error ? err.message : String(err);
    },
  });
} catch (err) {
  error = `cannot open the store for writing (${err instanceof Error ? err.message : String(err)})`;
}

function finish(): FromImportWriter {
  let ticksWritten = 0;
  let barsWritten = 0;
  try {
    if (error === null) writer?.flush('close');
  } catch (err) {
    error ??= err instanceof Error ? err.message : String(err);
  }
  const stats = writer?.stats();
  ticksWritten = stats?.ticksWritten ?? 0;
  barsWritten = stats?.barsWritten ?? 0;
  try {
    db?.close();
  } catch {
    // Closing after a failed write: nothing more to report than the failure itself.
  }
  return { type: 'finished', error, ticksWritten, barsWritten };
}

port.on('message', (msg: ToImportWriter) => {
  if (msg.type === 'finish') {
    port.postMessage(finish());
    port.close();
    return;
  }
  try {
    if (error === null && writer !== undefined) {
      const b = msg.batch;
      for (const t of decodeTicks(b)) writer.enqueueTick(b.datasetId, t);
      for (const bar of b.bars) writer.enqueueBar(b.datasetId, bar);
      writer.flush('size');
    }
  } catch (err) {
    error ??= err instanceof Error ? err.message : String(err);
  } finally {
    Atomics.sub(inFlight, 0, 1);
    Atomics.notify(inFlight, 0);
  }
});
