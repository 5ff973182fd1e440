/**
 * The output side of every CSV export (CLI and UI): rows are gathered into ~64 KiB chunks and
 * written with back-pressure, so a 10 M-tick export holds one chunk plus the stream's buffer in
 * memory, not the file. It also counts rows and bytes, reports progress at a bounded rate, stops
 * at an AbortSignal, and gives the event loop a turn regularly (an export in the app's main
 * process must not stall IPC, and a cancel request has to be able to arrive).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface CsvProgress {
  /** Data rows written (the header is not a row). */
  rows: number;
  /** UTF-8 bytes handed to the stream, header included. */
  bytes: number;
  /** 0..1 as the writer estimates it, null when unknown. */
  fraction: number | null;
}

export interface CsvOutputOptions {
  signal?: AbortSignal;
  /** Called at most every `progressIntervalMs` while writing (not on end: the caller knows). */
  onProgress?: (p: CsvProgress) => void;
  /** Default 200 ms, i.e. ≤ 5 Hz. */
  progressIntervalMs?: number;
  /** Text gathered before one stream write. Default 64 KiB. */
  chunkChars?: number;
  /** Longest stretch of synchronous work before yielding to the event loop. Default 20 ms. */
  yieldEveryMs?: number;
}

/** Thrown by flush() once the signal is aborted. */
export class ExportCancelledError extends Error {
  constructor() {
    super('the export was cancelled');
    this.name = 'ExportCancelledError';
  }
}

export class CsvOutput {
  rows = 0;
  bytes = 0;
  /** Set by the writer as it goes (see CsvProgress.fraction). */
  fraction: number | null = null;
  private chunk = '';
  private readonly chunkChars: number;
  private readonly progressIntervalMs: number;
  private readonly yieldEveryMs: number;
  private lastProgress = performance.now();
  private lastYield = performance.now();
  private streamError: Error | undefined;

  constructor(
    private readonly stream: Writable,
    private readonly options: CsvOutputOptions = {},
  ) {
    this.chunkChars = options.chunkChars ?? 64 * 1024;
    this.progressIntervalMs = options.progressIntervalMs ?? 200;
    this.yieldEveryMs = options.yieldEveryMs ?? 20;
    // Kept for flush() to rethrow: an unhandled 'error' event would crash the process.
    stream.on('error', (err: Error) => {
      this.streamError ??= err;
    });
  }

  /** Appends complete CSV text (lines ending in `\n`) holding `rows` data rows. */
  add(text: string, rows = 1): void {
    this.chunk += text;
    this.rows += rows;
  }

  /** True when enough text is gathered: the caller should `await flush()`. */
  get full(): boolean {
    return this.chunk.length >= this.chunkChars;
  }

  /** Writes the gathered text, waiting for 'drain' when the stream is full. */
  async flush(): Promise<void> {
    this.throwIfStopped();
    if (this.chunk.length > 0) {
      const text = this.chunk;
      this.chunk = '';
      this.bytes += Buffer.byteLength(text);
      if (!this.stream.write(text)) {
        // Rejects on 'error' or abort instead of waiting forever.
        await once(this.stream, 'drain', { signal: this.options.signal });
      }
    }
    const now = performance.now();
    if (now - this.lastProgress >= this.progressIntervalMs) {
      this.lastProgress = now;
      this.options.onProgress?.({ rows: this.rows, bytes: this.bytes, fraction: this.fraction });
    }
    if (now - this.lastYield >= this.yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
      this.throwIfStopped();
    }
  }

  /** Writes what is left and ends the stream; resolves once the file is complete. */
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, 'finish');
    this.throwIfStopped();
  }

  private throwIfStopped(): void {
    if (this.streamError) throw this.streamError;
    if (this.options.signal?.aborted) throw new ExportCancelledError();
  }
}

/**
 * Creates `path`, runs `produce` on it and completes the file. When `produce` throws (a cancel
 * included) the partial file is deleted and the error rethrown: an export leaves either a whole
 * file or none.
 */
export async function writeCsvFile(
  path: string,
  produce: (out: CsvOutput) => Promise<void>,
  options: CsvOutputOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (err) {
    stream.destroy();
    throw new Error(`cannot write ${path}: ${openFailure((err as NodeJS.ErrnoException).code)}`);
  }
  const out = new CsvOutput(stream, options);
  try {
    await produce(out);
    await out.end();
    return { rows: out.rows, bytes: out.bytes };
  } catch (err) {
    stream.destroy();
    if (!stream.closed) await once(stream, 'close').catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}

function openFailure(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'the folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return code ?? 'unknown error';
  }
}
