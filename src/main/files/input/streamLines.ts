/**
 * A plain or gzip file as the lines of one member, through lineReader's LineSplitter, with
 * progress in bytes of the file on disk (compressed bytes for gzip), cancellation between chunks,
 * and a truncated or corrupt gzip stream reported in words after the lines that were intact.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FileContainer } from '../../../core/contract/files';
import { CHUNK_BYTES, LineSplitter, zlibErrorText } from '../../analyze/lineReader';
import { grouped } from './text';
import type { InputMember, MemberReadResult, ReadInputOptions, ReadInputResult } from './types';

export interface StreamReadTuning {
  /** Head mode: stop once this many lines were read. */
  headLines?: number;
}

function gzipErrorText(err: unknown, splitter: LineSplitter): string {
  const what = zlibErrorText(err, 'gzip');
  const at = `after ${grouped(splitter.bytes)} bytes (line ${grouped(splitter.lines + 1)})`;
  if (what.startsWith('gzip data ends early')) {
    return `the gzip stream is truncated ${at}; the lines before it were read`;
  }
  return `the gzip stream broke off ${at}: ${what}; the lines before it were read`;
}

/** Reads the plain or gzip file at `path` (`container` from detectContainer). */
export async function readStreamLines(
  path: string,
  container: Exclude<FileContainer, 'zip'>,
  sizeBytes: number,
  options: ReadInputOptions,
  tuning: StreamReadTuning = {},
): Promise<ReadInputResult> {
  const gzip = container === 'gzip';
  const member: InputMember = { name: basename(path), member: null, container, sizeBytes };
  const handler = options.member(member);
  if (handler === null) {
    const skipped: MemberReadResult = { member, skipped: true, lines: 0, bytes: 0, gzip };
    return { container, members: [skipped], cancelled: false };
  }
  const source = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let stream: NodeJS.ReadableStream = source;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    // pipeline forwards errors of either side to the other, so the loop below sees them.
    pipeline(source, gunzip, () => undefined);
    stream = gunzip;
  }
  const splitter = new LineSplitter(handler);
  const signal = options.signal;
  let cancelled = false;
  let stopped = false;
  let error: string | undefined;
  let thrown: { error: unknown } | null = null;
  try {
    for await (const raw of stream) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      try {
        splitter.push(raw as Buffer);
      } catch (error) {
        // The caller's handler failed: not a problem of the file; rethrown below.
        thrown = { error };
        break;
      }
      options.onProgress?.(source.bytesRead);
      if (tuning.headLines !== undefined && splitter.lines >= tuning.headLines) {
        stopped = true;
        break;
      }
    }
  } catch (err) {
    error = gzip
      ? gzipErrorText(err, splitter)
      : `reading the file failed after line ${grouped(splitter.lines)} (${(err as Error).message})`;
  } finally {
    source.destroy();
  }
  if (thrown !== null) throw thrown.error;
  if (!cancelled && !stopped && error === undefined) splitter.end();
  if (!cancelled && !stopped) options.onProgress?.(source.bytesRead);
  const read: MemberReadResult = {
    member,
    skipped: false,
    lines: splitter.lines,
    bytes: splitter.bytes,
    gzip,
  };
  if (error !== undefined) read.error = error;
  const result: ReadInputResult = { container, members: [read], cancelled };
  if (error !== undefined) result.error = error;
  return result;
}
