/**
 * Streaming NDJSON line reader for capture files, plain or gzip (detected by the 1f 8b magic
 * bytes, whatever the extension). The file is never held in memory as a whole: chunks of 1 MiB are
 * read, and their complete lines decoded in blocks of ~64 KiB (`Buffer#toString`, one per block)
 * and split with `String#indexOf`, so each line is a cheap slice of the block's string — or, with
 * `asciiLine`, no string at all: the handler gets the block's bytes and the line's offsets. A
 * newline byte (0x0A) never occurs inside a multi-byte UTF-8 sequence, so splitting the bytes at
 * newlines is safe; only the line that straddles two chunks is assembled from bytes. Blocks that
 * are pure ASCII (checked with `buffer.isAscii`) are decoded as latin1, which gives the same
 * string faster.
 *
 * The splitting is `LineSplitter`, fed by any byte source: `readLines` feeds it a file (plain or
 * gunzipped); src/main/files/input feeds it zip members too.
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Bytes read from disk (and inflated) per chunk. */
export const CHUNK_BYTES = 1 << 20;
/**
 * Chunks are decoded to text in blocks of whole lines of about this size: a string this small is
 * an ordinary young-generation object that dies in the next scavenge, whereas a 1 MiB one goes to
 * V8's large-object space (Node even makes it external), and ~160 of them per 160 MB file forced
 * ~10 full mark-compact GCs per run.
 */
const BLOCK_BYTES = 1 << 16;
/** Longer lines are reported as over-long and skipped (a Binance message is < 1 KiB). */
export const MAX_LINE_BYTES = 1 << 20;

export interface LineHandler {
  /** One line without its terminator (`\n` or `\r\n`); `lineNo` is 1-based. Blank lines too. */
  line(text: string, lineNo: number): void;
  /**
   * Optional: takes the place of `line` for the lines of pure-ASCII chunks (nearly all), without
   * a per-line string: the line is `bytes[start, end)`, and `text` is the chunk decoded as latin1,
   * so `text.slice(start, end)` is the line and byte offsets equal character offsets.
   */
  asciiLine?(bytes: Uint8Array, text: string, start: number, end: number, lineNo: number): void;
  /** A line longer than MAX_LINE_BYTES was skipped. */
  overlong?(lineNo: number, bytes: number): void;
}

export interface ReadLinesResult {
  /** Lines seen (including blank and over-long ones). */
  lines: number;
  /** Bytes after decompression. */
  bytes: number;
  gzip: boolean;
  /**
   * Set when reading stopped early (truncated gzip, I/O error): what happened, in words. The lines
   * before it were delivered.
   */
  error?: string;
}

/** True when the file starts with the gzip magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/**
 * Splits a byte stream pushed in chunks of any size into lines for a LineHandler: the fast path
 * described at the top of this file, for any source (a file, a gunzip or inflate stream, a zip
 * member). `push` each chunk in order, then `end()` to deliver an unterminated last line; a
 * stream that broke off is simply not ended, so its cut last line is dropped.
 */
export class LineSplitter {
  /** Lines seen so far (including blank and over-long ones). */
  lines = 0;
  /** Bytes pushed so far. */
  bytes = 0;
  /** Bytes of the unfinished last line of the previous chunk(s). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Inside an over-long line: drop bytes until the next newline. */
  private skipping = false;

  constructor(private readonly handler: LineHandler) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    const firstNl = chunk.indexOf(10);
    if (firstNl < 0) {
      if (!this.skipping) {
        this.carry.push(Buffer.from(chunk));
        this.carryBytes += chunk.length;
        if (this.carryBytes > MAX_LINE_BYTES) {
          this.skipping = true;
          this.carry = [];
        }
      } else {
        this.carryBytes += chunk.length;
      }
      return;
    }
    let start = 0;
    if (this.carryBytes > 0 || this.skipping) {
      this.endCarriedLine(chunk.subarray(0, firstNl));
      start = firstNl + 1;
    }
    const lastNl = chunk.lastIndexOf(10);
    // Complete lines chunk[start, lastNl), decoded in blocks of whole lines of ≤ ~64 KiB.
    let s = start;
    while (s <= lastNl) {
      let e = lastNl;
      if (e - s > BLOCK_BYTES) {
        const cut = chunk.lastIndexOf(10, s + BLOCK_BYTES);
        // No newline in reach: one line longer than a block, taken whole.
        e = cut >= s ? cut : chunk.indexOf(10, s + BLOCK_BYTES);
      }
      this.lineBlock(chunk.subarray(s, e));
      s = e + 1;
    }
    if (lastNl + 1 < chunk.length) {
      // Copy: the tail must outlive this chunk's buffer.
      this.carry = [Buffer.from(chunk.subarray(lastNl + 1))];
      this.carryBytes = chunk.length - lastNl - 1;
    }
  }

  /** The stream ended normally: delivers its unterminated last line, if any. */
  end(): void {
    if (this.carryBytes > 0 || this.skipping) this.endCarriedLine(Buffer.alloc(0));
  }

  private endCarriedLine(tail: Buffer): void {
    const lineNo = ++this.lines;
    const total = this.carryBytes + tail.length;
    if (this.skipping || total > MAX_LINE_BYTES) {
      this.handler.overlong?.(lineNo, total);
    } else {
      const buf = this.carry.length === 0 ? tail : Buffer.concat([...this.carry, tail]);
      this.handler.line(stripCr(buf.toString('utf8')), lineNo);
    }
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
  }

  /** Lines of `body` (complete lines, '\n'-separated, the last one unterminated). */
  private lineBlock(body: Buffer): void {
    const handler = this.handler;
    const onAscii = handler.asciiLine;
    // The counter lives in a local for the loop; written back at the end.
    let lineNo = this.lines;
    // One decode per block, then offsets or slices. Pure ASCII (the normal case) decodes as
    // latin1, a plain byte copy ~3x faster than UTF-8 decoding.
    const ascii = isAscii(body);
    const text = body.toString(ascii ? 'latin1' : 'utf8');
    let pos = 0;
    const len = text.length;
    if (ascii && onAscii !== undefined) {
      // A plain Uint8Array view (not a Buffer) keeps the decoder's byte reads monomorphic.
      const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
      while (pos <= len) {
        let nl = text.indexOf('\n', pos);
        if (nl < 0) nl = len;
        lineNo++;
        const end = nl > pos && bytes[nl - 1] === 13 ? nl - 1 : nl;
        if (end - pos > MAX_LINE_BYTES) handler.overlong?.(lineNo, end - pos);
        else onAscii(bytes, text, pos, end, lineNo);
        pos = nl + 1;
      }
    } else {
      const onLine = handler.line;
      while (pos <= len) {
        let nl = text.indexOf('\n', pos);
        if (nl < 0) nl = len;
        lineNo++;
        const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - pos > MAX_LINE_BYTES) handler.overlong?.(lineNo, end - pos);
        else onLine(text.slice(pos, end), lineNo);
        pos = nl + 1;
      }
    }
    this.lines = lineNo;
  }
}

/** Plain words for a zlib stream error (truncated or corrupt compressed data, I/O error). */
export function zlibErrorText(err: unknown, format: 'gzip' | 'deflate'): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
    return `${format} data ends early (truncated file)`;
  }
  if (e.code === 'Z_DATA_ERROR') return `${format} data is corrupt (${e.message})`;
  return e.message;
}

/** Reads `path` line by line; resolves when done. Never rejects for data problems. */
export async function readLines(path: string, handler: LineHandler): Promise<ReadLinesResult> {
  const gzip = await isGzipFile(path);
  const source = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let stream: NodeJS.ReadableStream = source;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    // pipeline forwards errors of either side to the other, so the loop below sees them.
    pipeline(source, gunzip, () => undefined);
    stream = gunzip;
  }
  const splitter = new LineSplitter(handler);
  try {
    for await (const raw of stream) splitter.push(raw as Buffer);
  } catch (err) {
    source.destroy();
    const what = zlibErrorText(err, 'gzip');
    return {
      lines: splitter.lines,
      bytes: splitter.bytes,
      gzip,
      error: `${what}; stopped after line ${splitter.lines}`,
    };
  }
  splitter.end();
  return { lines: splitter.lines, bytes: splitter.bytes, gzip };
}
