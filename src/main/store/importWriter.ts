/**
 * Where an import's ticks and bars go (#10). Writing to SQLite costs about as much as reading and
 * parsing a file (~2 µs per tick: binding 10 values and a B-tree insert), so a file-backed store
 * gets a writer THREAD with its own connection: the import thread parses while the writer thread
 * inserts, and batches cross as typed arrays plus a flat array of texts (tickBatch.ts). The rows
 * written are exactly the in-thread ones: the thread runs the same BatchWriter.
 *
 * Back-pressure: at most MAX_IN_FLIGHT batches wait for the thread; beyond that the sender blocks
 * (Atomics.wait) until one is written, so memory stays bounded whatever the file size.
 *
 * Falls back to the store's own BatchWriter (same thread) for an in-memory or read-only store,
 * or when the thread's code cannot be found (e.g. an app bundle without the worker entry).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Bar, Tick } from '../../core/market/types';
import { startWorker, type WorkerEntry } from '../analytics/workerEntry';
import type {
  FromImportWriter,
  ImportWriterWorkerData,
  ToImportWriter,
} from './importWriterProtocol';
import type { PairDeskStore } from './store';
import { batchTransferList, TickBatchBuilder } from './tickBatch';

/**
 * Ticks per batch sent to the thread, each one commit there. 4096 beat 8192 (and 2048 was no
 * better) importing the 1M-trade CSV zip, A/B interleaved at load 3.0–3.5: 2.69–3.13 s against
 * 2.97–3.50 s; 16384–32768 rows per commit were slower still (older Tick objects, more GC).
 */
const BATCH_TICKS = 4096;
/** Batches sent and not yet written before the sender waits (~ 128 k ticks, ~ 15 MB). */
const MAX_IN_FLIGHT = 32;
/** A thread that writes nothing for this long is taken as gone. */
const STALL_MS = 60_000;

export interface ImportWriter {
  /** True when the writes happen on a separate thread. */
  readonly threaded: boolean;
  enqueueTick(datasetId: number, tick: Tick): void;
  enqueueBar(datasetId: number, bar: Bar): void;
  /** Commits everything; rejects with the first write failure. */
  finish(): Promise<void>;
  /** Stops writing (what was sent may or may not be committed); never rejects. */
  abort(): Promise<void>;
}

/** The in-thread writer: the store's own BatchWriter. */
class StoreImportWriter implements ImportWriter {
  readonly threaded = false;
  constructor(private readonly store: PairDeskStore) {}
  enqueueTick(datasetId: number, tick: Tick): void {
    this.store.enqueueTick(datasetId, tick);
  }
  enqueueBar(datasetId: number, bar: Bar): void {
    this.store.enqueueBar(datasetId, bar);
  }
  finish(): Promise<void> {
    this.store.flush();
    return Promise.resolve();
  }
  abort(): Promise<void> {
    return Promise.resolve();
  }
}

class ThreadImportWriter implements ImportWriter {
  readonly threaded = true;
  private builder: TickBatchBuilder | undefined;
  private readonly inFlight: Int32Array;
  private readonly done: Promise<FromImportWriter>;
  private failure: string | null = null;
  private finished = false;

  constructor(
    private readonly worker: Worker,
    shared: SharedArrayBuffer,
  ) {
    this.inFlight = new Int32Array(shared);
    this.done = new Promise((resolve) => {
      worker.once('message', (m: FromImportWriter) => resolve(m));
      worker.once('error', (err) => {
        this.failure ??= `the writer thread failed (${err.message})`;
        resolve({ type: 'finished', error: this.failure, ticksWritten: 0, barsWritten: 0 });
      });
      worker.once('exit', () => {
        this.failure ??= 'the writer thread stopped';
        resolve({ type: 'finished', error: this.failure, ticksWritten: 0, barsWritten: 0 });
      });
    });
  }

  enqueueTick(datasetId: number, tick: Tick): void {
    const b = this.batchFor(datasetId);
    b.addTick(tick);
    if (b.full) this.send(b);
  }

  enqueueBar(datasetId: number, bar: Bar): void {
    const b = this.batchFor(datasetId);
    b.addBar(bar);
    if (b.barCount >= BATCH_TICKS) this.send(b);
  }

  async finish(): Promise<void> {
    if (this.builder !== undefined && !this.builder.empty) this.send(this.builder);
    const r = await this.end();
    if (r.error !== null) throw new Error(r.error);
  }

  async abort(): Promise<void> {
    await this.end();
  }

  private async end(): Promise<FromImportWriter> {
    if (!this.finished) {
      this.finished = true;
      this.post({ type: 'finish' }, []);
    }
    const r = await this.done;
    await this.worker.terminate();
    return r;
  }

  private batchFor(datasetId: number): TickBatchBuilder {
    if (this.failure !== null) throw new Error(this.failure);
    let b = this.builder;
    if (b === undefined || b.datasetId !== datasetId) {
      if (b !== undefined && !b.empty) this.send(b);
      b = this.builder = new TickBatchBuilder(datasetId, BATCH_TICKS);
    }
    return b;
  }

  private send(b: TickBatchBuilder): void {
    this.waitForRoom();
    const batch = b.take();
    Atomics.add(this.inFlight, 0, 1);
    this.post({ type: 'batch', batch }, batchTransferList(batch));
  }

  private post(msg: ToImportWriter, transfer: ArrayBuffer[]): void {
    this.worker.postMessage(msg, transfer);
  }

  /** Blocks while MAX_IN_FLIGHT batches are queued; throws when the thread stops writing. */
  private waitForRoom(): void {
    let waitedMs = 0;
    for (;;) {
      const n = Atomics.load(this.inFlight, 0);
      if (n < MAX_IN_FLIGHT) return;
      const t0 = performance.now();
      Atomics.wait(this.inFlight, 0, n, 1000);
      waitedMs = Atomics.load(this.inFlight, 0) < n ? 0 : waitedMs + performance.now() - t0;
      if (waitedMs > STALL_MS) {
        this.failure = `the writer thread wrote nothing for ${STALL_MS / 1000} s`;
        throw new Error(this.failure);
      }
    }
  }
}

/** The writer thread's entry next to this module (tsx: the .ts file; a build: the .js). */
function writerThreadEntry(moduleUrl: string = import.meta.url): WorkerEntry | undefined {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) {
    const cjs = createRequire(moduleUrl).resolve('tsx/esm/api');
    const esm = cjs.replace(/\.cjs$/, '.mjs');
    return {
      url: new URL('./importWriterWorker.ts', moduleUrl),
      tsxApiUrl: pathToFileURL(existsSync(esm) ? esm : cjs).href,
    };
  }
  for (const rel of ['./importWriterWorker.js', '../importWriterWorker.js']) {
    const url = new URL(rel, moduleUrl);
    if (existsSync(fileURLToPath(url))) return { url, tsxApiUrl: undefined };
  }
  return undefined;
}

/**
 * The writer for one import into `store`: a writer thread when the store is a writable file and
 * the thread's code is there (and `threaded` is not false), else the store's own BatchWriter.
 */
export function openImportWriter(
  store: PairDeskStore,
  options: { threaded?: boolean } = {},
): ImportWriter {
  const conn = store.writerThreadOptions();
  const entry = options.threaded === false || conn === undefined ? undefined : writerThreadEntry();
  if (conn === undefined || entry === undefined) return new StoreImportWriter(store);
  const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const data: ImportWriterWorkerData = { ...conn, inFlight: shared };
  return new ThreadImportWriter(startWorker(entry, data), shared);
}
