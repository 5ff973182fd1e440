/** Messages between importWriter.ts and its thread, importWriterWorker.ts. */
import type { TickBatch } from './tickBatch';

export interface ImportWriterWorkerData {
  /** The store's database file (already created and migrated). */
  file: string;
  nativeBinding: string | undefined;
  cacheKiB: number | undefined;
  /** Int32[1]: batches sent and not yet written. */
  inFlight: SharedArrayBuffer;
}

export type ToImportWriter = { type: 'batch'; batch: TickBatch } | { type: 'finish' };

export interface FromImportWriter {
  type: 'finished';
  /** The first write failure, or null when everything sent was committed. */
  error: string | null;
  ticksWritten: number;
  barsWritten: number;
}
