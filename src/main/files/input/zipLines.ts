/**
 * A zip's members as lines, streaming, in the order of their local headers — so a truncated
 * archive still gives every member (and every line) before the cut; a reader of the central
 * directory (yauzl) refuses such a file whole. fflate's `Unzip` walks the headers; each member's
 * compressed bytes are queued in archive order by a decoder registered for its method and then
 * fed, one file chunk at a time, to the member's inflater and LineSplitter — so members never
 * interleave and at most one chunk is in flight.
 *
 * Inflate engine, measured by bench/input.ts (1 M-line, 68 MB aggTrades CSV, best of 3, on 2
 * cores shared at load ~14): the zip read with Node's native zlib (`createInflateRaw`) ran at
 * 309 MB/s of text (4.6 M lines/s), as fast as the same text as .gz (312 MB/s); with fflate's
 * pure-JS `Inflate`, 61 MB/s (0.9 M lines/s), 5x slower. So deflate members use native zlib and
 * fflate only walks the headers (cheap: it hands the member's bytes on as subarrays).
 *
 * A member read to its end is checked against the CRC-32 the central directory gives (native
 * `zlib.crc32`): a flipped byte in stored data, which no inflater can notice, is reported.
 *
 * Data-descriptor entries (flag bit 3, sizes after the data, as streaming zip writers produce):
 * fflate finds their end by scanning for the descriptor / next-header signature, so they are
 * read too, at the cost of that byte-by-byte scan (bench/input.ts). A signature occurring by
 * chance inside the compressed data would cut such a member short: its inflate then ends early,
 * which is reported as that member's damage.
 * Methods other than stored (0) and deflate (8) give that member an error in words; the others
 * are read.
 */
import {
  Unzip,
  type AsyncFlateStreamHandler,
  type UnzipDecoderConstructor,
  type UnzipFile,
} from 'fflate';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { crc32 } from 'node:zlib';
import type { LineHandler } from '../../analyze/lineReader';
import { CHUNK_BYTES, LineSplitter } from '../../analyze/lineReader';
import { readCentralDirectory, type DirectoryEntry } from './centralDirectory';
import {
  memberInflater,
  methodName,
  type InflateEngine,
  type MemberInflater,
} from './memberInflaters';
import { grouped } from './text';
import type { InputMember, MemberReadResult, ReadInputOptions, ReadInputResult } from './types';

export interface ZipReadTuning {
  engine: InflateEngine;
  /** Head mode: stop inflating a member once it gave this many lines. */
  headLines?: number;
}

interface MemberState {
  member: InputMember;
  method: number;
  splitter: LineSplitter | null;
  inflater: MemberInflater | null;
  /** Its remaining bytes are dropped (skipped, failed, or head complete). */
  dropping: boolean;
  /** Its last byte was fed. */
  done: boolean;
  skipped: boolean;
  /** CRC-32 the directory gives for the member's data, null when it has no directory. */
  expectedCrc: number | null;
  /** CRC-32 of the bytes inflated so far. */
  crc: number;
  error?: string;
}

interface QueuedBytes {
  state: MemberState;
  chunk: Uint8Array;
  final: boolean;
}

const EMPTY = new Uint8Array(0);

/** Entries that are not text members: directories and macOS resource forks. */
function isNotAMember(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/');
}

function resultOf(state: MemberState): MemberReadResult {
  const r: MemberReadResult = {
    member: state.member,
    skipped: state.skipped,
    lines: state.splitter?.lines ?? 0,
    bytes: state.splitter?.bytes ?? 0,
    gzip: false,
  };
  if (state.error !== undefined) r.error = state.error;
  return r;
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

function where(state: MemberState): string {
  const lines = state.splitter?.lines ?? 0;
  const bytes = state.splitter?.bytes ?? 0;
  return `after ${grouped(bytes)} bytes of it (line ${grouped(lines + 1)})`;
}

/** Reads every member of the zip at `path`; see ReadInputOptions. Never rejects for bad data. */
export async function readZipLines(
  path: string,
  options: ReadInputOptions,
  tuning: ZipReadTuning,
): Promise<ReadInputResult> {
  const name = basename(path);
  const signal = options.signal;
  const directory = await readCentralDirectory(path).catch(() => null);
  const unlisted: DirectoryEntry[] = directory === null ? [] : [...directory];
  const states: MemberState[] = [];
  const queue: QueuedBytes[] = [];
  /** The member whose decoder fflate is constructing (start() is synchronous). */
  let starting: MemberState | null = null;
  /** An exception of the caller's code (member() or a line handler), rethrown after cleanup. */
  let thrown: { error: unknown } | null = null;
  const rethrow = (): void => {
    if (thrown !== null) throw thrown.error;
  };

  const unzip = new Unzip();
  const registered = new Set<number>();
  /** A decoder that queues the member's compressed bytes, for any method. */
  const queueingDecoder = (compression: number): UnzipDecoderConstructor =>
    class QueueingDecoder {
      static readonly compression = compression;
      ondata: AsyncFlateStreamHandler = () => undefined;
      private readonly state = starting;
      push(chunk: Uint8Array, final: boolean): void {
        if (this.state !== null) queue.push({ state: this.state, chunk, final });
      }
    };

  unzip.onfile = (file: UnzipFile): void => {
    const listedAt = unlisted.findIndex((e) => e.name === file.name);
    const listed = listedAt >= 0 ? unlisted.splice(listedAt, 1)[0] : undefined;
    const member: InputMember = {
      name,
      member: file.name,
      container: 'zip',
      sizeBytes: file.size ?? listed?.compressedSize ?? 0,
    };
    const state: MemberState = {
      member,
      method: file.compression,
      splitter: null,
      inflater: null,
      dropping: true,
      done: false,
      skipped: true,
      expectedCrc: listed?.crc32 ?? null,
      crc: 0,
    };
    if (!file.name.endsWith('/')) states.push(state);
    let handler: LineHandler | null = null;
    if (!isNotAMember(file.name)) {
      try {
        handler = options.member(member);
      } catch (error) {
        thrown ??= { error };
      }
    }
    if (handler !== null) {
      state.splitter = new LineSplitter(handler);
      state.dropping = false;
      state.skipped = false;
    }
    // Every member is started, skipped ones too: fflate keeps the bytes of a member that is not
    // started in memory, waiting for start().
    if (!registered.has(file.compression)) {
      registered.add(file.compression);
      unzip.register(queueingDecoder(file.compression));
    }
    file.ondata = (_err, data, final) => queue.push({ state, chunk: data ?? EMPTY, final });
    starting = state;
    file.start();
    starting = null;
  };

  const fail = async (state: MemberState, error: string): Promise<void> => {
    state.error ??= error;
    state.dropping = true;
    await state.inflater?.abandon();
  };

  const feed = async ({ state, chunk, final }: QueuedBytes): Promise<void> => {
    if (state.done) return;
    if (state.dropping || state.splitter === null) {
      if (final) state.done = true;
      return;
    }
    if (state.inflater === null) {
      const splitter = state.splitter;
      state.inflater = memberInflater(state.method, tuning.engine, (bytes) => {
        state.crc = crc32(bytes, state.crc);
        splitter.push(bytes);
      });
      if (state.inflater === null) {
        const what = methodName(state.method);
        await fail(
          state,
          `member ${state.member.member} is compressed with ${what}, which is not supported (only stored and deflate): it was not read`,
        );
        state.done = final;
        return;
      }
    }
    const inflater = state.inflater;
    await inflater.write(chunk);
    if (final && inflater.error === null && inflater.sinkError === undefined)
      await inflater.finish();
    if (inflater.sinkError !== undefined) {
      thrown ??= { error: inflater.sinkError };
      await fail(state, 'stopped: the line handler failed');
    } else if (inflater.error !== null) {
      await fail(
        state,
        `member ${state.member.member} is damaged: ${inflater.error} ${where(state)}: the lines before were read`,
      );
    } else if (final) {
      state.splitter.end();
      if (state.expectedCrc !== null && state.crc !== state.expectedCrc) {
        state.error = `member ${state.member.member} fails its CRC-32 check (the zip's directory says ${hex(state.expectedCrc)}, its data gives ${hex(state.crc)}): it is damaged; its lines were read but some may be wrong`;
      }
    } else if (tuning.headLines !== undefined && state.splitter.lines >= tuning.headLines) {
      state.dropping = true;
      await inflater.abandon();
    }
    if (final) state.done = true;
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0 && thrown === null) {
      const next = queue.shift();
      try {
        if (next !== undefined) await feed(next);
      } catch (error) {
        // Inflaters keep data errors to themselves: what throws here is the caller's handler.
        thrown = { error };
      }
    }
  };

  /** Head mode: every member the directory lists was seen and has its head. */
  const headsComplete = (): boolean =>
    tuning.headLines !== undefined &&
    directory !== null &&
    unlisted.length === 0 &&
    states.every((s) => s.done || s.dropping);

  let cancelled = false;
  let stoppedEarly = false;
  let containerError: string | undefined;
  let read = 0;
  const source = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const raw of source) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      const chunk = raw as Buffer;
      read += chunk.length;
      try {
        unzip.push(chunk, false);
      } catch (err) {
        containerError = `the zip is damaged at byte ${grouped(read)} of the file (${(err as Error).message}): members after it are missing`;
        break;
      }
      await drain();
      if (thrown !== null) break;
      options.onProgress?.(read);
      if (headsComplete()) {
        stoppedEarly = true;
        break;
      }
    }
  } catch (err) {
    containerError = `reading the file failed after ${grouped(read)} bytes (${(err as Error).message})`;
  } finally {
    source.destroy();
  }
  if (thrown !== null) {
    for (const s of states) await s.inflater?.abandon();
    rethrow();
  }

  let cutInside = false;
  if (!cancelled && !stoppedEarly && containerError === undefined) {
    try {
      unzip.push(EMPTY, true);
    } catch {
      // fflate: the input ended inside a member's data.
      cutInside = true;
    }
    await drain();
    rethrow();
  }
  const last = states.at(-1);
  const lastCut = last !== undefined && !last.done && !cancelled && !stoppedEarly;
  if (cancelled || stoppedEarly) {
    for (const s of states) if (!s.done) await s.inflater?.abandon();
  } else if (containerError === undefined) {
    if (cutInside || lastCut) {
      containerError =
        last === undefined
          ? 'the zip is truncated inside its first member: nothing could be read'
          : last.skipped
            ? `the zip is truncated inside member ${last.member.member} (skipped): members after it are missing`
            : `the zip is truncated inside member ${last.member.member} ${where(last)}: the lines before were read; members after it are missing`;
    } else if (directory === null) {
      containerError =
        last === undefined
          ? 'the file starts like a zip but holds no readable member and no end-of-archive record (damaged or truncated)'
          : `the zip is truncated after member ${last.member.member} (its end-of-archive record is missing): the members before were read; members after it, if any, are missing`;
    } else if (unlisted.length > 0) {
      const names = unlisted.slice(0, 3).map((e) => e.name);
      containerError = `the zip's directory lists ${grouped(unlisted.length)} member(s) not found reading it in order (${names.join(', ')}): they were not read`;
    }
  }
  if (containerError !== undefined && lastCut) await fail(last, containerError);
  if (!cancelled && !stoppedEarly) options.onProgress?.(read);
  const result: ReadInputResult = { container: 'zip', members: states.map(resultOf), cancelled };
  if (containerError !== undefined) result.error = containerError;
  return result;
}
