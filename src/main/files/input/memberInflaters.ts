/**
 * Decompressors for one zip member's data, each feeding the member's bytes to a sink in order:
 * stored (method 0) passes them through; deflate (method 8) inflates them with Node's native
 * zlib (`createInflateRaw`, off the main thread) or, for comparison in bench/input.ts, with
 * fflate's pure-JS `Inflate`. `write` resolves once the chunk was taken in (so the caller can
 * read the next chunk of the file: backpressure); `finish` resolves once every byte of the
 * member was handed to the sink. A failure never rejects: it is kept in `error` and the rest of
 * the member is ignored.
 */
import { Inflate } from 'fflate';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { CHUNK_BYTES, zlibErrorText } from '../../analyze/lineReader';

/** Where a member's decompressed bytes go (the member's LineSplitter). */
export type ByteSink = (bytes: Buffer) => void;

export interface MemberInflater {
  write(chunk: Uint8Array): Promise<void> | void;
  finish(): Promise<void> | void;
  /** Stops without finishing (member skipped, read cancelled, file cut off). */
  abandon(): Promise<void> | void;
  /** Why the data could not be decompressed, in words; null while fine. */
  readonly error: string | null;
  /** An exception the sink threw (the caller's handler): rethrown by the reader. */
  readonly sinkError: unknown;
}

export type InflateEngine = 'native' | 'fflate';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Method 0: the data is the member's bytes. */
class StoredInflater implements MemberInflater {
  error: string | null = null;
  sinkError: unknown = undefined;
  constructor(private readonly sink: ByteSink) {}
  write(chunk: Uint8Array): void {
    if (chunk.length > 0) this.sink(asBuffer(chunk));
  }
  finish(): void {}
  abandon(): void {}
}

/** Method 8 with Node's zlib: 5x fflate's speed (bench/input.ts; see zipLines.ts). */
class NativeInflater implements MemberInflater {
  error: string | null = null;
  sinkError: unknown = undefined;
  private readonly stream: InflateRaw;
  private readonly closed: Promise<void>;

  constructor(sink: ByteSink) {
    this.stream = createInflateRaw({ chunkSize: CHUNK_BYTES });
    this.stream.on('data', (out: Buffer) => {
      if (this.sinkError !== undefined) return;
      try {
        sink(out);
      } catch (err) {
        // A throwing handler inside a stream event would be an uncaught exception: keep it.
        this.sinkError = err;
        this.stream.destroy();
      }
    });
    this.stream.on('error', (err) => {
      this.error ??= zlibErrorText(err, 'deflate');
    });
    this.closed = new Promise((resolve) => this.stream.once('close', () => resolve()));
  }

  write(chunk: Uint8Array): Promise<void> {
    if (this.stream.destroyed) return Promise.resolve();
    // An inflate error destroys the stream without calling back the write in flight: 'close'.
    const written = new Promise<void>((resolve) => this.stream.write(chunk, () => resolve()));
    return Promise.race([written, this.closed]);
  }

  finish(): Promise<void> {
    if (!this.stream.destroyed) this.stream.end();
    return this.closed;
  }

  abandon(): Promise<void> {
    this.stream.destroy();
    return this.closed;
  }
}

/** Method 8 with fflate's pure-JS inflate (synchronous). */
class FflateInflater implements MemberInflater {
  error: string | null = null;
  sinkError: unknown = undefined;
  private readonly inflate: Inflate;

  constructor(sink: ByteSink) {
    this.inflate = new Inflate((data) => {
      if (this.sinkError !== undefined) return;
      try {
        if (data.length > 0) sink(asBuffer(data));
      } catch (err) {
        this.sinkError = err;
      }
    });
  }

  private push(chunk: Uint8Array, final: boolean): void {
    if (this.error !== null || this.sinkError !== undefined) return;
    try {
      this.inflate.push(chunk, final);
    } catch (err) {
      this.error = `deflate data is corrupt (${(err as Error).message})`;
    }
  }

  write(chunk: Uint8Array): void {
    this.push(chunk, false);
  }

  finish(): void {
    this.push(new Uint8Array(0), true);
  }

  abandon(): void {}
}

/** The inflater for `method`, or null when the method is not supported. */
export function memberInflater(
  method: number,
  engine: InflateEngine,
  sink: ByteSink,
): MemberInflater | null {
  if (method === 0) return new StoredInflater(sink);
  if (method !== 8) return null;
  return engine === 'native' ? new NativeInflater(sink) : new FflateInflater(sink);
}

/** The name of a compression method, for "is not supported" messages (APPNOTE 4.4.5). */
export function methodName(method: number): string {
  const names: Record<number, string> = {
    1: 'shrink',
    6: 'implode',
    9: 'deflate64',
    12: 'bzip2',
    14: 'LZMA',
    93: 'zstd',
    95: 'xz',
    98: 'PPMd',
    99: 'AES encryption',
  };
  return names[method] === undefined ? `method ${method}` : `${names[method]} (method ${method})`;
}
